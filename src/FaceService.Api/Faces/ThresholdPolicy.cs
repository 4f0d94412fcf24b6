using FaceService.Api.Options;
using FaceService.Embeddings;
using Microsoft.Extensions.Options;

namespace FaceService.Api.Faces;

/// <summary>
/// The decision threshold: a request's own value, else the configured default, which is the model card's operating
/// point for the target false-accept rate unless <c>Thresholds:Cosine</c> pins it.
/// </summary>
public sealed class ThresholdPolicy
{
    public ThresholdPolicy(IFaceEmbedder embedder, IOptions<ThresholdOptions> options)
    {
        var model = embedder.Model;
        var settings = options.Value;
        if (settings.Cosine is { } pinned)
        {
            Default = pinned;
            Source = "configuration (Thresholds:Cosine)";
            return;
        }

        var point = model.OperatingPoints.FirstOrDefault(p => Math.Abs(Math.Log10(p.TargetFar) - Math.Log10(settings.TargetFar)) < 1e-6)
            ?? throw new InvalidOperationException(
                $"The model card of '{model.Id}' has no operating point for FAR {settings.TargetFar:G} " +
                $"(it has: {(model.OperatingPoints.Count == 0 ? "none" : string.Join(", ", model.OperatingPoints.Select(p => p.TargetFar.ToString("G"))))}). " +
                "Set Thresholds:TargetFar to one of those, or pin Thresholds:Cosine.");
        Default = point.CosineThreshold;
        TargetFar = point.TargetFar;
        Source = $"model card of '{model.Id}', FAR {point.TargetFar:G} measured on {point.MeasuredOn}";
    }

    public double Default { get; }

    /// <summary>The false-accept rate the default targets; null when the default was pinned in configuration.</summary>
    public double? TargetFar { get; }

    /// <summary>Where the default came from, for the startup log.</summary>
    public string Source { get; }

    public static bool IsValid(double threshold) => threshold is >= -1 and <= 1;

    public double Resolve(double? requested) => requested ?? Default;
}
