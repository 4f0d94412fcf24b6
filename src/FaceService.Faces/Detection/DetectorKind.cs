namespace FaceService.Faces.Detection;

/// <summary>Which face-api face detector runs the primary pass (<c>Faces:DetectorKind</c>).</summary>
public enum DetectorKind
{
    /// <summary>The tiny face detector (models/face-detector.onnx), any input size that is a multiple of 32.</summary>
    TinyFaceDetector,

    /// <summary>SSD MobileNetV1 (models/face-detector-ssd.onnx), face-api's default detector, input fixed at 512.</summary>
    SsdMobilenetV1,
}
