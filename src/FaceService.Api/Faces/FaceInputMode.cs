namespace FaceService.Api.Faces;

/// <summary>How an uploaded image becomes faces.</summary>
public enum FaceInputMode
{
    /// <summary>A crop when the image is small (<c>CropMode:AutoMaxSide</c>), detection otherwise.</summary>
    Auto,

    /// <summary>Detect faces and align each from its landmarks.</summary>
    Detect,

    /// <summary>The whole image is one face, already aligned as the model expects; it is only resized.</summary>
    Crop,
}

public static class FaceInputModes
{
    public const string Description =
        "`auto` (default): images at most CropMode:AutoMaxSide px on both sides are taken as aligned face crops, larger ones go through detection; " +
        "`detect`: always detect and align; `crop`: the image is one already-aligned face.";

    public static bool TryParse(string? value, out FaceInputMode mode)
    {
        mode = FaceInputMode.Auto;
        return string.IsNullOrWhiteSpace(value)
               || (Enum.TryParse(value, ignoreCase: true, out mode) && Enum.IsDefined(mode) && !int.TryParse(value, out _));
    }
}
