namespace FaceService.Faces.Landmarks;

/// <summary>
/// A detection-like box re-framed around 68 landmarks, for a refinement pass of the landmark net. Its proportions
/// are those of face-api's own tiny-detector boxes relative to the landmarks found in them, on the 20 faces of the
/// package's demo images (golden detect_sample1..6.json; medians, relative to the larger side s of the landmarks'
/// bounding box): width 1.40 s, height 1.26 s, centred on the landmarks' bounding box (the centre offsets'
/// medians, -0.02 s and +0.02 s, are within their spread and left out). The factors were not tuned on any
/// accuracy; the test that pins them recomputes them from the golden files.
/// </summary>
public static class LandmarkBox
{
    public const double WidthFactor = 1.40;
    public const double HeightFactor = 1.26;

    public static FaceBox Around(FaceLandmarks landmarks)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        var points = FivePointLandmarks.RequireSixtyEight(landmarks);
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var p in points)
        {
            minX = Math.Min(minX, p.X);
            minY = Math.Min(minY, p.Y);
            maxX = Math.Max(maxX, p.X);
            maxY = Math.Max(maxY, p.Y);
        }
        var side = Math.Max(maxX - minX, maxY - minY);
        double width = WidthFactor * side, height = HeightFactor * side;
        return new FaceBox((minX + maxX - width) / 2, (minY + maxY - height) / 2, width, height);
    }
}
