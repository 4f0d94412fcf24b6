namespace FaceService.Faces.Imaging;

/// <summary>Why an upload could not be turned into an image; each maps to a 4xx response.</summary>
public enum ImageDecodeError
{
    /// <summary>No bytes at all.</summary>
    Empty,

    /// <summary>Not an image, or an image format the decoder does not read.</summary>
    UnsupportedFormat,

    /// <summary>A recognised format whose content is damaged or truncated.</summary>
    Corrupt,

    /// <summary>More pixels than <see cref="ImageDecodeOptions.MaxPixels"/>; refused before the full decode.</summary>
    TooLarge,
}

public sealed class ImageDecodeException(ImageDecodeError error, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ImageDecodeError Error { get; } = error;
}
