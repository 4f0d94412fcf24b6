using BenchmarkDotNet.Attributes;
using FaceService.Embeddings;
using FaceService.Faces.Alignment;

namespace FaceService.Benchmarks;

/// <summary>
/// ONNX Runtime embedding latency of one inference of <see cref="Batch"/> aligned faces, teacher against student, each
/// as exported (float) and statically quantised to int8 (<c>facetrain quantize</c>, X.onnx → X-int8.onnx), at 1 and 2
/// intra-op threads. The report divides by the batch for the cost per face. Pixel values do not change the cost, so
/// the faces are seeded noise.
/// </summary>
public class EmbeddingBenchmarks
{
    private OnnxFaceEmbedder _embedder = null!;
    private AlignedFace[] _faces = [];

    [Params("teacher", "student", "teacher-int8", "student-int8")]
    public string Model { get; set; } = "teacher";

    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [Params(1, 8)]
    public int Batch { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        var path = Model switch
        {
            "teacher" => RepoPaths.TeacherModel,
            "student" => RepoPaths.StudentModel,
            "teacher-int8" => RepoPaths.Int8(RepoPaths.TeacherModel),
            "student-int8" => RepoPaths.Int8(RepoPaths.StudentModel),
            _ => throw new ArgumentException($"unknown model '{Model}'"),
        };
        if (Model.EndsWith("-int8", StringComparison.Ordinal) && !File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: run `facetrain quantize --model {path.Replace("-int8.onnx", ".onnx")}`.", path);
        _embedder = new OnnxFaceEmbedder(new EmbedderOptions { ModelPath = path, IntraOpThreads = Threads, MaxBatchSize = Batch });
        var size = _embedder.Model.InputSize;
        var random = new Random(1);
        _faces = Enumerable.Range(0, Batch)
            .Select(_ => new AlignedFace(size, size, Enumerable.Range(0, size * size * 3).Select(_ => random.NextSingle() * 255).ToArray()))
            .ToArray();
    }

    [Benchmark]
    public float[][] Embed() => _embedder.EmbedRaw(_faces);

    [GlobalCleanup]
    public void Cleanup() => _embedder.Dispose();
}
