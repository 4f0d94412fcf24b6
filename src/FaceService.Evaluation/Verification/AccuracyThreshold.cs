namespace FaceService.Evaluation.Verification;

/// <summary>The threshold that maximises verification accuracy on a set of pairs (accept iff score &gt; threshold).</summary>
public static class AccuracyThreshold
{
    public static double Accuracy(IReadOnlyList<ScoredPair> pairs, double threshold)
    {
        if (pairs.Count == 0)
            throw new ArgumentException("No pairs.", nameof(pairs));
        var correct = pairs.Count(p => p.Score > threshold == p.IsSame);
        return (double)correct / pairs.Count;
    }

    /// <summary>
    /// Exhaustive search. Candidates are one value below the lowest score (accept all), the midpoints between
    /// consecutive distinct scores, and one value above the highest (reject all); every distinct decision on these
    /// pairs is reached by exactly one of them. Ties go to the lowest candidate, so the result is deterministic.
    /// </summary>
    public static (double Threshold, double Accuracy) SelectBest(IReadOnlyList<ScoredPair> pairs)
    {
        if (pairs.Count == 0)
            throw new ArgumentException("No pairs.", nameof(pairs));
        var sorted = pairs.OrderBy(p => p.Score).ToArray();

        // Below every score all pairs are accepted: exactly the same-person pairs are right.
        var correct = sorted.Count(p => p.IsSame);
        var bestCorrect = correct;
        var bestThreshold = sorted[0].Score - 1;

        // Raise the threshold past one group of equal scores at a time: that group flips from accepted to rejected.
        for (var i = 0; i < sorted.Length;)
        {
            var score = sorted[i].Score;
            for (; i < sorted.Length && sorted[i].Score == score; i++)
                correct += sorted[i].IsSame ? -1 : 1;
            if (correct > bestCorrect)
            {
                bestCorrect = correct;
                bestThreshold = i < sorted.Length ? (score + sorted[i].Score) / 2 : score + 1;
            }
        }
        return (bestThreshold, (double)bestCorrect / sorted.Length);
    }
}
