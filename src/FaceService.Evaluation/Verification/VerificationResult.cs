namespace FaceService.Evaluation.Verification;

/// <summary>Everything the protocol reports for one set of scored pairs.</summary>
public sealed record VerificationResult(
    CrossValidatedAccuracy Accuracy,
    FarOperatingPoint AtFar1e3,
    FarOperatingPoint AtFar1e2,
    IReadOnlyList<RocPoint> Roc)
{
    public static VerificationResult Evaluate(IReadOnlyList<ScoredPair> pairs) => new(
        KFoldVerification.Evaluate(pairs),
        FarOperatingPoint.At(pairs, 1e-3),
        FarOperatingPoint.At(pairs, 1e-2),
        RocCurve.Sample(pairs, RocCurve.LogFarGrid));
}
