namespace FaceService.Faces.Imaging;

/// <summary>JavaScript's rounding, which face-api's geometry uses (halves go up, also for negatives).</summary>
internal static class JsMath
{
    public static int Round(double value) => (int)Math.Floor(value + 0.5);
}
