namespace FaceService.Api.Options;

/// <summary>
/// The default decision threshold: the model card's operating point for <see cref="TargetFar"/>, unless
/// <see cref="Cosine"/> pins a value. A request may still pass its own threshold.
/// </summary>
public sealed class ThresholdOptions
{
    public const string Section = "Thresholds";

    /// <summary>The false-accept rate whose operating point (from the model card) is the default threshold.</summary>
    public double TargetFar { get; set; } = 1e-3;

    /// <summary>An explicit cosine threshold that replaces the model card's operating point.</summary>
    public double? Cosine { get; set; }
}
