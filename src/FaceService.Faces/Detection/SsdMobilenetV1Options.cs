namespace FaceService.Faces.Detection;

/// <summary>face-api's SSD MobileNetV1 detector (<c>Faces:SsdDetector</c>); defaults are face-api's.</summary>
public sealed class SsdMobilenetV1Options
{
    public string ModelPath { get; set; } = "models/face-detector-ssd.onnx";

    /// <summary>A detection is kept when its score is strictly above this; in (0, 1) as face-api requires.</summary>
    public double MinConfidence { get; set; } = 0.5;

    /// <summary>At most this many faces per image, best first.</summary>
    public int MaxResults { get; set; } = 100;

    /// <summary>NMS drops a box whose IoU with a better one is strictly above this (face-api: 0.5, fixed).</summary>
    public double NmsIouThreshold { get; set; } = 0.5;

    /// <summary>ONNX Runtime intra-op threads; 0 = runtime default.</summary>
    public int IntraOpThreads { get; set; } = 1;
}
