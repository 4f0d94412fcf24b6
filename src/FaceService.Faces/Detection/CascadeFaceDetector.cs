using FaceService.Faces.Imaging;

namespace FaceService.Faces.Detection;

/// <summary>
/// The tiny detector with fallbacks for images where its primary pass finds nothing (see
/// <see cref="DetectionCascadeOptions"/>). Each face's <see cref="DetectedFace.Stage"/> says which pass found it.
/// </summary>
public sealed class CascadeFaceDetector(TinyFaceDetector detector, DetectionCascadeOptions cascade) : IFaceDetector
{
    /// <summary>Every pass in the order tried; <see cref="DetectedFace.Stage"/> is one of these.</summary>
    public IReadOnlyList<DetectionStage> Stages { get; } = BuildStages(detector.Options, cascade);

    public IReadOnlyList<DetectedFace> Detect(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var centreStages = new List<DetectionStage>();
        foreach (var stage in Stages)
        {
            if (stage.CentreBoxOnly)
            {
                centreStages.Add(stage);
                continue;
            }
            var faces = detector.Detect(image, stage.InputSize, stage.ScoreThreshold);
            if (faces.Count > 0)
                return faces;
        }

        // The centre passes compete: the best-scoring box containing the centre over all their input sizes wins.
        var centreX = image.Width / 2.0;
        var centreY = image.Height / 2.0;
        DetectedFace? best = null;
        foreach (var stage in centreStages)
        foreach (var face in detector.Detect(image, stage.InputSize, stage.ScoreThreshold))
        {
            var box = face.Box;
            var containsCentre = box.X <= centreX && centreX <= box.X + box.Width && box.Y <= centreY && centreY <= box.Y + box.Height;
            if (containsCentre && (best is null || face.Score > best.Score))
                best = face with { Stage = stage };
        }
        return best is null ? [] : [best];
    }

    private static List<DetectionStage> BuildStages(TinyFaceDetectorOptions primary, DetectionCascadeOptions cascade)
    {
        var stages = new List<DetectionStage> { new(primary.InputSize, primary.ScoreThreshold, false) };
        if (!cascade.Enabled)
            return stages;
        var sizes = new[] { primary.InputSize }.Concat(cascade.FallbackInputSizes).Distinct().ToList();
        stages.AddRange(sizes.Skip(1).Select(size => new DetectionStage(size, primary.ScoreThreshold, false)));
        stages.AddRange(sizes.Select(size => new DetectionStage(size, cascade.CentreBoxScoreThreshold, true)));
        return stages;
    }
}
