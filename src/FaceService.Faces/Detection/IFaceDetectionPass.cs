using FaceService.Faces.Imaging;

namespace FaceService.Faces.Detection;

/// <summary>A detector that can run one pass at a chosen input size and score threshold (what the cascade varies).</summary>
public interface IFaceDetectionPass
{
    /// <summary>The primary pass: configured input size and threshold.</summary>
    DetectionStage PrimaryStage { get; }

    /// <summary>Faces of one pass, best score first, each with <see cref="DetectedFace.Stage"/> set.</summary>
    IReadOnlyList<DetectedFace> Detect(RgbImage image, int inputSize, double scoreThreshold);
}
