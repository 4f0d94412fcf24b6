namespace FaceService.Faces.Imaging.Jpeg;

internal static class JpegErrors
{
    public static ImageDecodeException Corrupt(string detail) =>
        new(ImageDecodeError.Corrupt, $"The JPEG data is corrupt: {detail}.");

    public static ImageDecodeException Unsupported(string detail) =>
        new(ImageDecodeError.UnsupportedFormat, $"This JPEG variant is not supported: {detail}.");

    public static ImageDecodeException Truncated() =>
        new(ImageDecodeError.Corrupt, "The JPEG data is truncated.");
}
