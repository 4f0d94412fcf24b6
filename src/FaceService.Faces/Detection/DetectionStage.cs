namespace FaceService.Faces.Detection;

/// <summary>
/// The detector pass that found a face: which detector, its net input size, score threshold, and whether only the
/// box containing the image centre was kept (the cascade's last resort). <c>default</c> means "not reported by a
/// detector".
/// </summary>
public readonly record struct DetectionStage(int InputSize, double ScoreThreshold, bool CentreBoxOnly, DetectorKind Detector = DetectorKind.TinyFaceDetector)
{
    /// <summary>"416@0.5" for the tiny detector (the form reports have always used), "ssd512@0.5" for the SSD.</summary>
    public override string ToString() =>
        $"{(Detector == DetectorKind.SsdMobilenetV1 ? "ssd" : "")}{InputSize}@{ScoreThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}{(CentreBoxOnly ? "-centre" : "")}";
}
