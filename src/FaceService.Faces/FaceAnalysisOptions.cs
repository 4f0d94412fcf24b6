using FaceService.Faces.Detection;
using FaceService.Faces.Imaging;
using FaceService.Faces.Landmarks;

namespace FaceService.Faces;

/// <summary>Everything the face pipeline is configured with; bind it from a configuration section.</summary>
public sealed class FaceAnalysisOptions
{
    public ImageDecodeOptions Decode { get; set; } = new();
    /// <summary>The detector of the primary pass; the cascade's fallbacks always run on the tiny detector.</summary>
    public DetectorKind DetectorKind { get; set; } = DetectorKind.TinyFaceDetector;
    /// <summary>The tiny face detector: the primary pass when <see cref="DetectorKind"/> says so, and the cascade's fallbacks.</summary>
    public TinyFaceDetectorOptions Detector { get; set; } = new();
    public SsdMobilenetV1Options SsdDetector { get; set; } = new();
    public DetectionCascadeOptions Cascade { get; set; } = new();
    public Landmark68Options Landmarks { get; set; } = new();
}
