using FaceService.Faces.Imaging;

namespace FaceService.Faces.Alignment;

/// <summary>Landmarks → the square crop an embedder takes. Deterministic: same input, same floats.</summary>
public interface IFaceAligner
{
    AlignmentKind Kind { get; }

    /// <summary>A <paramref name="size"/> x <paramref name="size"/> crop; null when the face lies outside the image.</summary>
    AlignedFace? Align(RgbImage image, FaceLandmarks landmarks, int size);
}
