using FaceService.Faces.Alignment;
using FaceService.Faces.Detection;
using FaceService.Faces.Landmarks;
using FaceService.Embeddings;
using FaceService.TestSupport;

namespace FaceService.Pipeline.Tests.Faces;

/// <summary>The ONNX models, each opened once for the test run (sessions are thread-safe).</summary>
internal static class PipelineModels
{
    private static readonly Lazy<TinyFaceDetector> LazyDetector = new(() =>
        new TinyFaceDetector(new TinyFaceDetectorOptions { ModelPath = Requires.Model("face-detector.onnx") }));

    private static readonly Lazy<SsdMobilenetV1Detector> LazySsdDetector = new(() =>
        new SsdMobilenetV1Detector(new SsdMobilenetV1Options { ModelPath = Requires.Model("face-detector-ssd.onnx") }));

    // No refinement pass: face-api has none, and the golden landmarks are its single pass on its detector's box.
    private static readonly Lazy<Landmark68Net> LazyLandmarks = new(() =>
        new Landmark68Net(new Landmark68Options { ModelPath = Requires.Model("face-landmarks68.onnx"), RefinementPasses = 0 }));

    private static readonly Lazy<Landmark68Net> LazyTinyLandmarks = new(() =>
        new Landmark68Net(new Landmark68Options { ModelPath = Requires.Model("face-landmarks68-tiny.onnx"), RefinementPasses = 0 }));

    private static readonly Lazy<OnnxFaceEmbedder> LazyTeacher = new(() =>
        new OnnxFaceEmbedder(new EmbedderOptions { ModelPath = Requires.Model("teacher-dlib-resnet.onnx") }));

    public static TinyFaceDetector Detector => LazyDetector.Value;
    public static SsdMobilenetV1Detector SsdDetector => LazySsdDetector.Value;
    public static Landmark68Net Landmarks => LazyLandmarks.Value;
    public static Landmark68Net TinyLandmarks => LazyTinyLandmarks.Value;
    public static OnnxFaceEmbedder Teacher => LazyTeacher.Value;

    public static CascadeFaceDetector Cascade { get; } = null!;

    public static FaceService.Faces.FaceAnalyzer Analyzer(IFaceDetector detector, FaceTemplate? warpTemplate = null) =>
        new(detector, Landmarks, [new FaceApiCropAligner(), new SimilarityWarpAligner(warpTemplate ?? FaceTemplate.Default)]);
}
