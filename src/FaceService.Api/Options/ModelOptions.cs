namespace FaceService.Api.Options;

/// <summary>Which ONNX files the service runs. Switching the embedder is a change here, nothing else.</summary>
public sealed class ModelOptions
{
    public const string Section = "Model";

    /// <summary>The embedder; its model card is the <c>.json</c> file of the same name beside it.</summary>
    public string EmbedderPath { get; set; } = "models/teacher-dlib-resnet.onnx";

    public string DetectorPath { get; set; } = "models/face-detector.onnx";

    public string LandmarksPath { get; set; } = "models/face-landmarks68.onnx";

    /// <summary>ONNX Runtime intra-op threads per session; 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; set; }
}
