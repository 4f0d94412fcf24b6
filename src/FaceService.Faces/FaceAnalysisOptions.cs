using FaceService.Faces.Detection;
using FaceService.Faces.Imaging;
using FaceService.Faces.Landmarks;

namespace FaceService.Faces;

/// <summary>Everything the face pipeline is configured with; bind it from a configuration section.</summary>
public sealed class FaceAnalysisOptions
{
    public ImageDecodeOptions Decode { get; set; } = new();
    public TinyFaceDetectorOptions Detector { get; set; } = new();
    public DetectionCascadeOptions Cascade { get; set; } = new();
    public Landmark68Options Landmarks { get; set; } = new();
}
