using BenchmarkDotNet.Attributes;
using FaceService.Faces;
using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;
using Microsoft.Extensions.DependencyInjection;

namespace FaceService.Benchmarks;

/// <summary>
/// The face pipeline's cost per photo (face-api's demo photos): JPEG decode, and detection (with its cascade),
/// 68 landmarks and a similarity-warp alignment to the teacher's 150 px input for every face found.
/// </summary>
public class DetectionBenchmarks
{
    private ServiceProvider _services = null!;
    private IFaceAnalyzer _analyzer = null!;
    private ImageDecodeOptions _decode = null!;
    private byte[] _jpeg = [];
    private RgbImage _image = null!;

    [Params(1, 2, 3, 4, 5, 6)]
    public int Photo { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        var options = new FaceAnalysisOptions();
        options.Detector.ModelPath = Path.Combine(RepoPaths.Models, "face-detector.onnx");
        options.Landmarks.ModelPath = Path.Combine(RepoPaths.Models, "face-landmarks68.onnx");
        _services = new ServiceCollection().AddFaceAnalysis(options).BuildServiceProvider();
        _analyzer = _services.GetRequiredService<IFaceAnalyzer>();
        _decode = options.Decode;
        _jpeg = File.ReadAllBytes(RepoPaths.DemoPhoto(Photo));
        _image = ImageDecoder.Decode(_jpeg, _decode);
    }

    [Benchmark]
    public RgbImage Decode() => ImageDecoder.Decode(_jpeg, _decode);

    [Benchmark]
    public IReadOnlyList<AnalyzedFace> DetectAndAlign() => _analyzer.Analyze(_image, AlignmentKind.SimilarityWarp, 150);

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();
}
