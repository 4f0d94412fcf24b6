namespace FaceService.Faces.Imaging;

/// <summary>
/// Bilinear resize of an interleaved float image with half-pixel centres (OpenCV INTER_LINEAR, PyTorch
/// align_corners=false): output pixel centre (x + 0.5) maps to source (x + 0.5) * in/out - 0.5, clamped to the edge.
/// Unlike TF's legacy mode it does not shift the content when upscaling by large factors.
/// </summary>
public static class BilinearResize
{
    public static float[] Resize(ReadOnlySpan<float> source, int width, int height, int channels, int outWidth, int outHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outHeight);
        if (source.Length != width * height * channels)
            throw new ArgumentException($"Expected {width * height * channels} values for {width}x{height}x{channels}, got {source.Length}.", nameof(source));

        var columns = Taps(width, outWidth);
        var rows = Taps(height, outHeight);
        var result = new float[outHeight * outWidth * channels];
        for (var oy = 0; oy < outHeight; oy++)
        {
            var (y0, y1, fy) = rows[oy];
            for (var ox = 0; ox < outWidth; ox++)
            {
                var (x0, x1, fx) = columns[ox];
                for (var c = 0; c < channels; c++)
                {
                    var top = source[(y0 * width + x0) * channels + c] * (1 - fx) + source[(y0 * width + x1) * channels + c] * fx;
                    var bottom = source[(y1 * width + x0) * channels + c] * (1 - fx) + source[(y1 * width + x1) * channels + c] * fx;
                    result[(oy * outWidth + ox) * channels + c] = top * (1 - fy) + bottom * fy;
                }
            }
        }
        return result;
    }

    private static (int Lower, int Upper, float Fraction)[] Taps(int sourceLength, int outLength)
    {
        var scale = (double)sourceLength / outLength;
        var taps = new (int, int, float)[outLength];
        for (var o = 0; o < outLength; o++)
        {
            var position = Math.Clamp((o + 0.5) * scale - 0.5, 0, sourceLength - 1);
            var lower = (int)Math.Floor(position);
            var upper = Math.Min(lower + 1, sourceLength - 1);
            taps[o] = (lower, upper, (float)(position - lower));
        }
        return taps;
    }
}
