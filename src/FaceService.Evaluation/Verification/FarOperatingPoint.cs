namespace FaceService.Evaluation.Verification;

/// <summary>
/// A threshold for a target false-accept rate and what it gives: the achieved FAR (at most the target) and the
/// true-accept rate, with the counts behind them.
/// </summary>
public sealed record FarOperatingPoint(
    double TargetFar,
    double Threshold,
    double AchievedFar,
    double Tar,
    int FalseAccepts,
    int ImpostorPairs,
    int TrueAccepts,
    int GenuinePairs)
{
    /// <summary>
    /// With N impostor scores sorted high to low (i₁ ≥ i₂ ≥ …) and k = ⌊target·N⌋ false accepts allowed, the
    /// threshold is i₍ₖ₊₁₎, the (k+1)-th highest impostor score, and a pair is accepted iff score &gt; threshold.
    /// At most k impostors score above it (fewer when scores tie), so the achieved FAR never exceeds the target,
    /// and it is the lowest threshold with that guarantee that is an observed score. For LFW's 3,000 impostor pairs
    /// at FAR = 1e-3: k = 3 and the threshold is the 4th-highest impostor score.
    /// </summary>
    public static FarOperatingPoint At(IReadOnlyList<ScoredPair> pairs, double targetFar)
    {
        if (!(targetFar > 0 && targetFar < 1))
            throw new ArgumentOutOfRangeException(nameof(targetFar), targetFar, "The target FAR must lie in (0, 1).");
        var impostors = pairs.Where(p => !p.IsSame).Select(p => p.Score).OrderDescending().ToArray();
        var genuine = pairs.Where(p => p.IsSame).Select(p => p.Score).ToArray();
        if (impostors.Length == 0 || genuine.Length == 0)
            throw new ArgumentException("TAR at FAR needs both genuine and impostor pairs.", nameof(pairs));

        // The epsilon keeps a product such as 0.29 * 100 = 28.999999999999996 from losing an allowed false accept.
        var allowed = (int)Math.Floor(targetFar * impostors.Length + 1e-9);
        var threshold = impostors[allowed];
        var falseAccepts = impostors.Count(s => s > threshold);
        var trueAccepts = genuine.Count(s => s > threshold);
        return new FarOperatingPoint(
            targetFar, threshold, (double)falseAccepts / impostors.Length, (double)trueAccepts / genuine.Length,
            falseAccepts, impostors.Length, trueAccepts, genuine.Length);
    }
}
