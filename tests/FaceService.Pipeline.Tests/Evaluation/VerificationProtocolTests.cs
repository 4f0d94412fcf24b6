using FaceService.Evaluation.Verification;
using Xunit;

namespace FaceService.Pipeline.Tests.Evaluation;

public class VerificationProtocolTests
{
    private static ScoredPair Same(double score, int fold = 0) => new(score, true, fold);
    private static ScoredPair Different(double score, int fold = 0) => new(score, false, fold);

    [Fact]
    public void Perfectly_separable_scores_give_full_accuracy_with_the_threshold_in_the_gap()
    {
        var pairs = new[] { Different(0.1), Different(0.3), Same(0.6), Same(0.9) };

        var (threshold, accuracy) = AccuracyThreshold.SelectBest(pairs);

        Assert.Equal(1.0, accuracy);
        Assert.Equal(0.45, threshold, 12);
    }

    [Fact]
    public void Equal_best_accuracies_resolve_to_the_lowest_threshold()
    {
        // Rejecting below 0.25 or below 0.55 both get 3 of 4 right.
        var pairs = new[] { Different(0.2), Same(0.3), Different(0.5), Same(0.6) };

        var (threshold, accuracy) = AccuracyThreshold.SelectBest(pairs);

        Assert.Equal(0.75, accuracy);
        Assert.Equal(0.25, threshold, 12);
    }

    [Fact]
    public void All_same_pairs_are_best_served_by_accepting_everything()
    {
        var pairs = new[] { Same(0.2), Same(0.5) };

        var (threshold, accuracy) = AccuracyThreshold.SelectBest(pairs);

        Assert.Equal(1.0, accuracy);
        Assert.True(threshold < 0.2);
    }

    [Fact]
    public void A_pair_scoring_exactly_the_threshold_is_rejected()
    {
        Assert.Equal(0.5, AccuracyThreshold.Accuracy([Same(0.4), Same(0.5)], 0.45));
        Assert.Equal(0.0, AccuracyThreshold.Accuracy([Same(0.45)], 0.45));
    }

    [Fact]
    public void Ten_separable_folds_give_mean_one_and_zero_spread()
    {
        var random = new Random(7);
        var pairs = Enumerable.Range(0, 10).SelectMany(fold => Enumerable.Range(0, 30).SelectMany(_ => new[]
        {
            Same(0.5 + 0.5 * random.NextDouble(), fold),
            Different(0.45 * random.NextDouble(), fold),
        })).ToList();

        var result = KFoldVerification.Evaluate(pairs);

        Assert.Equal(10, result.Folds.Count);
        Assert.All(result.Folds, f => Assert.Equal(1.0, f.TestAccuracy));
        Assert.Equal(1.0, result.Mean);
        Assert.Equal(0.0, result.PopulationStd);
    }

    [Fact]
    public void Each_fold_is_scored_with_the_threshold_chosen_on_the_other_folds()
    {
        // Worked by hand: each held-out fold's threshold is the lowest of the train folds' two best midpoints.
        var pairs = new[]
        {
            Same(0.9, 0), Same(0.4, 0), Different(0.5, 0), Different(0.1, 0),
            Same(0.8, 1), Same(0.7, 1), Different(0.3, 1), Different(0.2, 1),
            Same(0.6, 2), Same(0.34, 2), Different(0.45, 2), Different(0.05, 2),
        };

        var result = KFoldVerification.Evaluate(pairs);

        Assert.Equal([0, 1, 2], result.Folds.Select(f => f.Fold));
        Assert.Equal([0.32, 0.22, 0.35], result.Folds.Select(f => Math.Round(f.Threshold, 12)));
        Assert.Equal([7 / 8.0, 6 / 8.0, 7 / 8.0], result.Folds.Select(f => f.TrainAccuracy));
        Assert.Equal([0.75, 0.75, 0.5], result.Folds.Select(f => f.TestAccuracy));
        Assert.Equal(2 / 3.0, result.Mean, 12);
        Assert.Equal(Math.Sqrt(1 / 72.0), result.PopulationStd, 12);
    }

    [Fact]
    public void Cross_validation_refuses_a_single_fold()
    {
        Assert.Throws<ArgumentException>(() => KFoldVerification.Evaluate([Same(0.9), Different(0.1)]));
    }

    [Theory]
    [InlineData(0.05, 0.9, 0, 0.2)] // no false accept allowed: threshold at the highest impostor
    [InlineData(0.1, 0.8, 1, 0.4)]  // one allowed: the second-highest impostor
    [InlineData(0.25, 0.7, 2, 0.6)] // floor(2.5) = 2 allowed: the third-highest
    public void Tar_at_far_uses_the_next_impostor_score_as_threshold(double targetFar, double threshold, int falseAccepts, double tar)
    {
        var pairs = Enumerable.Range(0, 10).Select(i => Different(i / 10.0))
            .Concat(new[] { 0.95, 0.85, 0.75, 0.65, 0.55 }.Select(s => Same(s))).ToList();

        var point = FarOperatingPoint.At(pairs, targetFar);

        Assert.Equal(threshold, point.Threshold, 12);
        Assert.Equal(falseAccepts, point.FalseAccepts);
        Assert.Equal(falseAccepts / 10.0, point.AchievedFar, 12);
        Assert.Equal(tar, point.Tar, 12);
        Assert.Equal((10, 5), (point.ImpostorPairs, point.GenuinePairs));
    }

    [Fact]
    public void Tied_impostor_scores_never_push_the_far_above_its_target()
    {
        var pairs = new[] { Different(0.9), Different(0.9), Different(0.5), Same(0.95), Same(0.7) };

        var point = FarOperatingPoint.At(pairs, 0.5);

        Assert.Equal(0.9, point.Threshold);
        Assert.Equal(0.0, point.AchievedFar);
        Assert.Equal(0.5, point.Tar);
    }

    [Fact]
    public void On_three_thousand_impostors_far_1e3_allows_three_false_accepts()
    {
        var pairs = Enumerable.Range(0, 3000).Select(i => Different(i / 3000.0))
            .Concat(Enumerable.Range(0, 3000).Select(i => Same(0.999 + i / 1e7))).ToList();

        var point = FarOperatingPoint.At(pairs, 1e-3);

        Assert.Equal(2996 / 3000.0, point.Threshold, 12);
        Assert.Equal(3, point.FalseAccepts);
        Assert.Equal(1.0, point.Tar);
    }

    [Fact]
    public void Roc_samples_rise_with_far_and_match_the_operating_point_rule()
    {
        var random = new Random(3);
        var pairs = Enumerable.Range(0, 500).SelectMany(_ => new[]
        {
            Same(0.3 + 0.7 * random.NextDouble()), Different(0.6 * random.NextDouble()),
        }).ToList();

        var roc = RocCurve.Sample(pairs, RocCurve.LogFarGrid);

        Assert.Equal(RocCurve.LogFarGrid.Count, roc.Count);
        Assert.All(roc.Zip(RocCurve.LogFarGrid), p => Assert.True(p.First.TargetFar == p.Second && p.First.Far <= p.Second));
        Assert.All(roc.Zip(roc.Skip(1)), p => Assert.True(p.Second.Tar >= p.First.Tar && p.Second.Threshold <= p.First.Threshold));
        var at1e2 = FarOperatingPoint.At(pairs, 1e-2);
        Assert.Contains(roc, p => p.Threshold == at1e2.Threshold && p.Tar == at1e2.Tar);
    }
}
