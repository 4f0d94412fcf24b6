namespace FaceService.Faces.Imaging;

/// <summary>
/// Area-averaging downscale of an interleaved float image (OpenCV's INTER_AREA for shrinking): every output pixel is
/// the mean of the source area it covers, with fractional coverage at its edges. No detail finer than one output
/// pixel survives, which is what a low-resolution camera does to a face.
/// </summary>
public static class AreaDownscale
{
    public static float[] Resize(ReadOnlySpan<float> source, int width, int height, int channels, int outWidth, int outHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outHeight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(outWidth, width);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(outHeight, height);
        if (source.Length != width * height * channels)
            throw new ArgumentException($"Expected {width * height * channels} values for {width}x{height}x{channels}, got {source.Length}.", nameof(source));

        // A box filter is separable: average along rows first, then along columns.
        var columns = CoverageWeights(width, outWidth);
        var rows = CoverageWeights(height, outHeight);

        var horizontal = new double[height * outWidth * channels];
        for (var y = 0; y < height; y++)
            for (var ox = 0; ox < outWidth; ox++)
                foreach (var (x, weight) in columns[ox])
                    for (var c = 0; c < channels; c++)
                        horizontal[(y * outWidth + ox) * channels + c] += weight * source[(y * width + x) * channels + c];

        var result = new float[outHeight * outWidth * channels];
        for (var oy = 0; oy < outHeight; oy++)
            foreach (var (y, weight) in rows[oy])
                for (var i = 0; i < outWidth * channels; i++)
                    result[oy * outWidth * channels + i] += (float)(weight * horizontal[y * outWidth * channels + i]);
        return result;
    }

    /// <summary>For each output index, the source indices it covers and their share of its area (shares sum to 1).</summary>
    private static (int Index, double Weight)[][] CoverageWeights(int sourceLength, int outLength)
    {
        var scale = (double)sourceLength / outLength;
        var weights = new (int, double)[outLength][];
        for (var o = 0; o < outLength; o++)
        {
            var start = o * scale;
            var end = Math.Min((o + 1) * scale, sourceLength);
            var taps = new List<(int, double)>();
            for (var s = (int)Math.Floor(start); s < end; s++)
            {
                var overlap = Math.Min(end, s + 1) - Math.Max(start, s);
                if (overlap > 1e-12)
                    taps.Add((s, overlap / scale));
            }
            weights[o] = [.. taps];
        }
        return weights;
    }
}
