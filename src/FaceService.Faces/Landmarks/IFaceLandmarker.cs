using FaceService.Faces.Imaging;

namespace FaceService.Faces.Landmarks;

/// <summary>Face box → 68 landmarks in image pixels.</summary>
public interface IFaceLandmarker
{
    /// <summary>
    /// Landmarks for each box, in the same order, in one inference. A box with nothing inside the image gets null.
    /// </summary>
    IReadOnlyList<FaceLandmarks?> Detect(RgbImage image, IReadOnlyList<FaceBox> boxes);
}
