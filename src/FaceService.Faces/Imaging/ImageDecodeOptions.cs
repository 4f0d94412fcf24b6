namespace FaceService.Faces.Imaging;

public sealed class ImageDecodeOptions
{
    /// <summary>Images with more pixels (width × height, as stored) are refused from their header alone.</summary>
    public long MaxPixels { get; set; } = 40_000_000;
}
