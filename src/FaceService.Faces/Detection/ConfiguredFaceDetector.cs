using FaceService.Faces.Imaging;

namespace FaceService.Faces.Detection;

/// <summary>
/// The detection <see cref="FaceAnalysisOptions"/> describes: <see cref="FaceAnalysisOptions.DetectorKind"/>'s detector as
/// the primary pass, the tiny detector's fallback passes after it (<see cref="CascadeFaceDetector"/>). The one place
/// that choice is made, for the service and for the tools; it owns the detectors and their ONNX sessions.
/// </summary>
public sealed class ConfiguredFaceDetector : IFaceDetector, IDisposable
{
    private readonly List<IDisposable> _detectors = [];
    private readonly CascadeFaceDetector _cascade;

    public ConfiguredFaceDetector(FaceAnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _cascade = options.DetectorKind switch
        {
            DetectorKind.TinyFaceDetector => new CascadeFaceDetector(Own(new TinyFaceDetector(options.Detector)), options.Cascade),
            // The tiny detector is only built when its fallbacks can run.
            DetectorKind.SsdMobilenetV1 => new CascadeFaceDetector(Own(new SsdMobilenetV1Detector(options.SsdDetector)), options.Cascade,
                options.Cascade.Enabled ? Own(new TinyFaceDetector(options.Detector)) : null),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.DetectorKind, "Faces:DetectorKind must be TinyFaceDetector or SsdMobilenetV1."),
        };
    }

    /// <summary>Every pass in the order tried; <see cref="DetectedFace.Stage"/> is one of these.</summary>
    public IReadOnlyList<DetectionStage> Stages => _cascade.Stages;

    public IReadOnlyList<DetectedFace> Detect(RgbImage image) => _cascade.Detect(image);

    public void Dispose()
    {
        foreach (var detector in _detectors)
            detector.Dispose();
    }

    private T Own<T>(T detector) where T : IDisposable
    {
        _detectors.Add(detector);
        return detector;
    }
}
