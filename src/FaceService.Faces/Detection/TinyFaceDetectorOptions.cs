namespace FaceService.Faces.Detection;

public sealed class TinyFaceDetectorOptions
{
    public string ModelPath { get; set; } = "models/face-detector.onnx";

    /// <summary>Side of the square net input; a multiple of 32. face-api's default is 416.</summary>
    public int InputSize { get; set; } = 416;

    /// <summary>A candidate is kept when its score is strictly above this.</summary>
    public double ScoreThreshold { get; set; } = 0.5;

    /// <summary>NMS drops a box whose IoU with a better one is strictly above this.</summary>
    public double NmsIouThreshold { get; set; } = 0.4;

    /// <summary>ONNX Runtime intra-op threads; 0 = runtime default.</summary>
    public int IntraOpThreads { get; set; } = 1;
}
