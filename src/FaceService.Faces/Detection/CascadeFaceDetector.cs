using FaceService.Faces.Imaging;

namespace FaceService.Faces.Detection;

/// <summary>
/// A primary detector pass with fallbacks for images where it finds nothing (see <see cref="DetectionCascadeOptions"/>).
/// The fallbacks run on <c>fallback</c>, by default the primary detector itself; with the SSD as primary, the tiny
/// detector's passes can back it up. Each face's <see cref="DetectedFace.Stage"/> says which pass found it.
/// </summary>
public sealed class CascadeFaceDetector : IFaceDetector
{
    private readonly IReadOnlyList<(IFaceDetectionPass Detector, DetectionStage Stage)> _passes;

    public CascadeFaceDetector(IFaceDetectionPass primary, DetectionCascadeOptions cascade, IFaceDetectionPass? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(cascade);
        _passes = BuildPasses(primary, fallback ?? primary, cascade);
        Stages = _passes.Select(p => p.Stage).ToList();
    }

    /// <summary>Every pass in the order tried; <see cref="DetectedFace.Stage"/> is one of these.</summary>
    public IReadOnlyList<DetectionStage> Stages { get; }

    public IReadOnlyList<DetectedFace> Detect(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var centrePasses = new List<(IFaceDetectionPass Detector, DetectionStage Stage)>();
        foreach (var (detector, stage) in _passes)
        {
            if (stage.CentreBoxOnly)
            {
                centrePasses.Add((detector, stage));
                continue;
            }
            var faces = detector.Detect(image, stage.InputSize, stage.ScoreThreshold);
            if (faces.Count > 0)
                return faces;
        }

        // The centre passes compete: the best-scoring box containing the centre over all of them wins.
        var centreX = image.Width / 2.0;
        var centreY = image.Height / 2.0;
        DetectedFace? best = null;
        foreach (var (detector, stage) in centrePasses)
        foreach (var face in detector.Detect(image, stage.InputSize, stage.ScoreThreshold))
        {
            var box = face.Box;
            var containsCentre = box.X <= centreX && centreX <= box.X + box.Width && box.Y <= centreY && centreY <= box.Y + box.Height;
            if (containsCentre && (best is null || face.Score > best.Score))
                best = face with { Stage = stage };
        }
        return best is null ? [] : [best];
    }

    /// <summary>
    /// The primary pass; then the fallback detector's own primary pass (when it is another detector) and its
    /// fallback input sizes at its threshold; then every one of those passes again at the centre-box threshold.
    /// </summary>
    private static List<(IFaceDetectionPass, DetectionStage)> BuildPasses(
        IFaceDetectionPass primary, IFaceDetectionPass fallback, DetectionCascadeOptions cascade)
    {
        var passes = new List<(IFaceDetectionPass Detector, DetectionStage Stage)> { (primary, primary.PrimaryStage) };
        if (!cascade.Enabled)
            return passes;
        var fallbackPrimary = fallback.PrimaryStage;
        if (!ReferenceEquals(fallback, primary))
            passes.Add((fallback, fallbackPrimary));
        passes.AddRange(cascade.FallbackInputSizes.Distinct().Where(size => size != fallbackPrimary.InputSize)
            .Select(size => (fallback, fallbackPrimary with { InputSize = size })));
        passes.AddRange(passes.ToList().Select(p => (p.Detector, p.Stage with { ScoreThreshold = cascade.CentreBoxScoreThreshold, CentreBoxOnly = true })));
        return passes;
    }
}
