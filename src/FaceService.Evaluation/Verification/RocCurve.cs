namespace FaceService.Evaluation.Verification;

/// <summary>
/// A point of a ROC curve: the best true-accept rate whose false-accept rate stays within <paramref name="TargetFar"/>,
/// the FAR it actually has, and the threshold that gives them.
/// </summary>
public sealed record RocPoint(double TargetFar, double Far, double Tar, double Threshold);

/// <summary>ROC curves sampled on a fixed log-spaced FAR grid, so curves of different runs share their x values.</summary>
public static class RocCurve
{
    /// <summary>Target FARs from 1e-4 to 1, ten per decade (the last one, 1, is left out: it is not a valid target).</summary>
    public static IReadOnlyList<double> LogFarGrid { get; } =
        Enumerable.Range(0, 40).Select(i => Math.Pow(10, -4 + i / 10.0)).ToArray();

    /// <summary>For each target FAR, the operating point of <see cref="FarOperatingPoint.At"/>: same threshold rule.</summary>
    public static IReadOnlyList<RocPoint> Sample(IReadOnlyList<ScoredPair> pairs, IReadOnlyList<double> targetFars)
    {
        var points = new List<RocPoint>(targetFars.Count);
        foreach (var far in targetFars)
        {
            var point = FarOperatingPoint.At(pairs, far);
            points.Add(new RocPoint(far, point.AchievedFar, point.Tar, point.Threshold));
        }
        return points;
    }
}
