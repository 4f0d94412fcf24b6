namespace FaceService.Faces.Alignment;

/// <summary>
/// A face crop ready for an embedder: float RGB in 0..255, HWC. Values stay float because face-api's
/// reference pipeline feeds the un-rounded output of its resize to the recognition net.
/// </summary>
public sealed class AlignedFace
{
    public AlignedFace(int width, int height, float[] pixels)
    {
        if (pixels.Length != width * height * 3)
            throw new ArgumentException($"Expected {width * height * 3} floats for {width}x{height} RGB, got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public float[] Pixels { get; }
}
