using FaceService.Faces.Alignment;
using FaceService.Faces.Detection;

namespace FaceService.Faces;

/// <summary>An axis-aligned box in image pixels; may extend past the image edges, as the detector reports it.</summary>
public readonly record struct FaceBox(double X, double Y, double Width, double Height);

public readonly record struct Point2(double X, double Y)
{
    public static double Distance(Point2 a, Point2 b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
}

/// <summary>A detector hit: the box and the detector's score in 0..1.</summary>
public sealed record DetectedFace(FaceBox Box, double Score)
{
    /// <summary>The detector pass that found the face (the cascade's fallbacks are counted by evaluation).</summary>
    public DetectionStage Stage { get; init; }
}

/// <summary>The 68 points of the iBUG 300-W scheme, in image pixels.</summary>
public sealed record FaceLandmarks(IReadOnlyList<Point2> Points)
{
    /// <summary>
    /// Size of the clipped, floored detection-box crop the points were predicted on, when known. face-api's
    /// alignDlib box is clamped to it (in practice it never binds).
    /// </summary>
    public (int Width, int Height)? CropSize { get; init; }
}

/// <summary>What the service reports per face and gates on.</summary>
public sealed record FaceQuality(double BoxWidth, double BoxHeight, double InterEyeDistance, double DetectorScore);

/// <summary>One face found in a photo, with the crop an embedder needs.</summary>
public sealed record AnalyzedFace(DetectedFace Detection, FaceLandmarks Landmarks, FaceQuality Quality, AlignedFace Aligned);
