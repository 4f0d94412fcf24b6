namespace FaceService.Evaluation.Verification;

/// <summary>One held-out fold: the threshold chosen on the other folds, and the accuracies it gives.</summary>
public sealed record FoldAccuracy(int Fold, double Threshold, double TrainAccuracy, double TestAccuracy, int TestPairs);

/// <summary>
/// The cross-validated accuracy: per-fold results, their mean and their population standard deviation
/// (divide by the number of folds, ddof = 0, as numpy's std in insightface's verification.py).
/// </summary>
public sealed record CrossValidatedAccuracy(IReadOnlyList<FoldAccuracy> Folds, double Mean, double PopulationStd);

/// <summary>
/// The LFW View-2 accuracy protocol: for each fold choose the threshold that maximises accuracy on all the other
/// folds, score the held-out fold with it, report mean ± std over folds.
/// </summary>
public static class KFoldVerification
{
    public static CrossValidatedAccuracy Evaluate(IReadOnlyList<ScoredPair> pairs)
    {
        var folds = pairs.Select(p => p.Fold).Distinct().Order().ToArray();
        if (folds.Length < 2)
            throw new ArgumentException($"Cross-validation needs at least two folds; got {folds.Length}.", nameof(pairs));

        var results = new List<FoldAccuracy>(folds.Length);
        foreach (var fold in folds)
        {
            var train = pairs.Where(p => p.Fold != fold).ToList();
            var test = pairs.Where(p => p.Fold == fold).ToList();
            var (threshold, trainAccuracy) = AccuracyThreshold.SelectBest(train);
            results.Add(new FoldAccuracy(fold, threshold, trainAccuracy, AccuracyThreshold.Accuracy(test, threshold), test.Count));
        }

        var mean = results.Average(r => r.TestAccuracy);
        var std = Math.Sqrt(results.Average(r => (r.TestAccuracy - mean) * (r.TestAccuracy - mean)));
        return new CrossValidatedAccuracy(results, mean, std);
    }
}
