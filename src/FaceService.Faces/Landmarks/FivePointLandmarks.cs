namespace FaceService.Faces.Landmarks;

/// <summary>
/// The five points the similarity warp and the quality summary use, reduced from the 68: eye centres (means of
/// points 36–41 and 42–47, 0-based; the subject's right eye is on the image left), nose tip 30, mouth corners 48, 54.
/// </summary>
public readonly record struct FivePointLandmarks(Point2 LeftEye, Point2 RightEye, Point2 NoseTip, Point2 MouthLeft, Point2 MouthRight)
{
    public static FivePointLandmarks From(FaceLandmarks landmarks)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        var points = RequireSixtyEight(landmarks);
        return new FivePointLandmarks(Mean(points, 36, 42), Mean(points, 42, 48), points[30], points[48], points[54]);
    }

    public double InterEyeDistance => Point2.Distance(RightEye, LeftEye);

    public Point2[] ToArray() => [LeftEye, RightEye, NoseTip, MouthLeft, MouthRight];

    internal static IReadOnlyList<Point2> RequireSixtyEight(FaceLandmarks landmarks) =>
        landmarks.Points.Count == 68
            ? landmarks.Points
            : throw new ArgumentException($"Expected 68 landmarks, got {landmarks.Points.Count}.", nameof(landmarks));

    /// <summary>Mean of points [from, to).</summary>
    internal static Point2 Mean(IReadOnlyList<Point2> points, int from, int to)
    {
        double x = 0, y = 0;
        for (var i = from; i < to; i++)
        {
            x += points[i].X;
            y += points[i].Y;
        }
        return new Point2(x / (to - from), y / (to - from));
    }
}
