namespace FaceService.Faces.Detection;

/// <summary>
/// The detector pass that found a face: net input size, score threshold, and whether only the box containing the
/// image centre was kept (the cascade's last resort). <c>default</c> means "not reported by a detector".
/// </summary>
public readonly record struct DetectionStage(int InputSize, double ScoreThreshold, bool CentreBoxOnly)
{
    public override string ToString() =>
        $"{InputSize}@{ScoreThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}{(CentreBoxOnly ? "-centre" : "")}";
}
