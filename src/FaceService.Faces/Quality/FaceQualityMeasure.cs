using FaceService.Faces.Landmarks;

namespace FaceService.Faces.Quality;

public static class FaceQualityMeasure
{
    /// <summary>Box size and detector score from the detection; inter-eye distance between the eye centres.</summary>
    public static FaceQuality Measure(DetectedFace detection, FaceLandmarks landmarks)
    {
        ArgumentNullException.ThrowIfNull(detection);
        return new FaceQuality(detection.Box.Width, detection.Box.Height,
            FivePointLandmarks.From(landmarks).InterEyeDistance, detection.Score);
    }
}
