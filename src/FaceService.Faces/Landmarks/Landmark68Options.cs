namespace FaceService.Faces.Landmarks;

public sealed class Landmark68Options
{
    /// <summary>models/face-landmarks68.onnx (full net, the reference) or models/face-landmarks68-tiny.onnx.</summary>
    public string ModelPath { get; set; } = "models/face-landmarks68.onnx";

    /// <summary>ONNX Runtime intra-op threads; 0 = runtime default.</summary>
    public int IntraOpThreads { get; set; } = 1;
}
