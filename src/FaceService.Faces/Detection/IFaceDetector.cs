using FaceService.Faces.Imaging;

namespace FaceService.Faces.Detection;

/// <summary>Image → face boxes.</summary>
public interface IFaceDetector
{
    /// <summary>Faces found, best score first; empty when there is none.</summary>
    IReadOnlyList<DetectedFace> Detect(RgbImage image);
}
