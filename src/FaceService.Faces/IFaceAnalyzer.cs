using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;

namespace FaceService.Faces;

/// <summary>Image → faces: detection, landmarks, quality and an aligned crop per face.</summary>
public interface IFaceAnalyzer
{
    /// <summary>Every face found, best score first; empty when there is none.</summary>
    IReadOnlyList<AnalyzedFace> Analyze(RgbImage image, AlignmentKind alignment, int alignedSize);
}
