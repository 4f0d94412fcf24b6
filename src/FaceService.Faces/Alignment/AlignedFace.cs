namespace FaceService.Faces.Alignment;

/// <summary>
/// A face crop ready for an embedder: float RGB in 0..255, HWC. Values stay float because face-api's
/// reference pipeline feeds the un-rounded output of its resize to the recognition net. <see cref="SourcePixels"/>
/// says how much detail the crop really holds, whatever size it was resampled to.
/// </summary>
public sealed class AlignedFace
{
    /// <param name="sourcePixels">The crop side's span in source-image pixels; default: <paramref name="width"/> (a crop that is its own source).</param>
    public AlignedFace(int width, int height, float[] pixels, double? sourcePixels = null)
    {
        if (pixels.Length != width * height * 3)
            throw new ArgumentException($"Expected {width * height * 3} floats for {width}x{height} RGB, got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
        SourcePixels = sourcePixels ?? width;
    }

    public int Width { get; }
    public int Height { get; }
    public float[] Pixels { get; }

    /// <summary>
    /// How many pixels of the source image the crop's side spans: the face's real resolution, which an embedder may
    /// route on (an upsampled 12 px face is still a 12 px face).
    /// </summary>
    public double SourcePixels { get; }

    /// <summary>The face mirrored left to right, from the same source resolution.</summary>
    public AlignedFace Mirrored()
    {
        var mirrored = new float[Pixels.Length];
        var row = Width * 3;
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
                Pixels.AsSpan(y * row + x * 3, 3).CopyTo(mirrored.AsSpan(y * row + (Width - 1 - x) * 3, 3));
        return new AlignedFace(Width, Height, mirrored, SourcePixels);
    }

    /// <summary>
    /// <paramref name="count"/> faces from <paramref name="start"/> as one NHWC batch, the embedders' input layout.
    /// </summary>
    public static (float[] Input, int[] Shape) Batch(IReadOnlyList<AlignedFace> faces, int start, int count)
    {
        var (width, height) = (faces[start].Width, faces[start].Height);
        var pixels = width * height * 3;
        var input = new float[count * pixels];
        for (var n = 0; n < count; n++)
        {
            var face = faces[start + n];
            if (face.Width != width || face.Height != height)
                throw new ArgumentException("every face of a batch must have the same size", nameof(faces));
            face.Pixels.CopyTo(input, n * pixels);
        }
        return (input, [count, height, width, 3]);
    }
}
