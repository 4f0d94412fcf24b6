namespace FaceService.Api.Options;

/// <summary>How uploaded images become faces.</summary>
public sealed class FaceInputOptions
{
    public const string Section = "Faces";

    /// <summary>
    /// In <c>mode=auto</c>, an image at most this many pixels on both sides is taken as an already-aligned face crop
    /// (surveillance systems send 8-64 px crops, too small for the detector); a larger one goes through detection.
    /// </summary>
    public int AutoCropMaxSide { get; set; } = 96;

    /// <summary>The detector's square input side (a multiple of 32); larger finds smaller faces, slower.</summary>
    public int DetectorInputSize { get; set; } = 416;

    /// <summary>Detections scoring below this are dropped.</summary>
    public double DetectorScoreThreshold { get; set; } = 0.5;
}
