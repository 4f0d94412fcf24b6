namespace FaceService.Api.Options;

/// <summary>When an upload is taken as an already-aligned face crop instead of a photo to detect faces in.</summary>
public sealed class CropModeOptions
{
    public const string Section = "CropMode";

    /// <summary>
    /// With <c>mode=auto</c> (the default), an image at most this many pixels on both sides is a face crop:
    /// surveillance systems send 8-64 px crops, too small for the detector. Larger images go through detection.
    /// </summary>
    public int AutoMaxSide { get; set; } = 96;
}
