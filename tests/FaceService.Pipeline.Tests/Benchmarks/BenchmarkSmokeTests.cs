using System.Net;
using System.Text.Json;
using FaceService.Benchmarks;
using FaceService.Benchmarks.LoadTest;
using FaceService.TestSupport;
using SixLabors.ImageSharp;
using Xunit;

namespace FaceService.Pipeline.Tests.Benchmarks;

/// <summary>Each benchmark's code path once, on tiny inputs. Benchmarks are not timed tests: nothing here measures speed.</summary>
public sealed class BenchmarkSmokeTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "faceservice-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_temp))
            Directory.Delete(_temp, recursive: true);
    }

    [Fact]
    public void Embedding_benchmark_embeds_a_batch()
    {
        Requires.Model("teacher-dlib-resnet.onnx");
        var benchmark = new EmbeddingBenchmarks { Model = "teacher", Threads = 1, Batch = 2 };
        benchmark.Setup();
        try
        {
            var embeddings = benchmark.Embed();
            Assert.Equal(2, embeddings.Length);
            Assert.All(embeddings, e => Assert.Equal(128, e.Length));
        }
        finally
        {
            benchmark.Cleanup();
        }
    }

    [Fact]
    public void Detection_benchmark_decodes_and_finds_faces_in_a_demo_photo()
    {
        Requires.Model("face-detector.onnx");
        Requires.FaceApiPackageFile("demo/sample1.jpg");
        var benchmark = new DetectionBenchmarks { Photo = 1 };
        benchmark.Setup();
        try
        {
            Assert.True(benchmark.Decode().Width > 0);
            Assert.NotEmpty(benchmark.DetectAndAlign());
        }
        finally
        {
            benchmark.Cleanup();
        }
    }

    [Theory]
    [InlineData("Exact", SyntheticData.Uniform)]
    [InlineData("QuantizedScan", SyntheticData.Uniform)]
    [InlineData("Usearch", SyntheticData.Uniform)]
    [InlineData("Exact", SyntheticData.FaceModel)]
    [InlineData("QuantizedScan", SyntheticData.FaceModel)]
    [InlineData("Usearch", SyntheticData.FaceModel)]
    public void Search_benchmark_identifies_in_a_small_gallery(string index, SyntheticData data)
    {
        var benchmark = new GallerySearchBenchmarks { Faces = 300, Index = index, Data = data };
        benchmark.Setup();
        try
        {
            Assert.Equal(5, benchmark.Identify().Count);
        }
        finally
        {
            benchmark.Cleanup();
        }
    }

    [Theory]
    [InlineData("uniform")]
    [InlineData("faces")]
    public void Recall_command_writes_recall_build_and_load_times(string data)
    {
        var output = Path.Combine(_temp, "recall.json");

        Assert.Equal(0, RecallCommand.Run(["--data", data, "--sizes", "500", "--probes", "20", "--out", output]));

        var result = Assert.Single(JsonSerializer.Deserialize<List<RecallResult>>(File.ReadAllText(output))!);
        Assert.Equal((data, 500), (result.Data, result.Faces));
        Assert.True(result.UsearchBuildMs > 0 && result.UsearchLoadMs > 0);
        Assert.All(result.Usearch, s => Assert.InRange(s.RecallGenuine, 0.9, 1.0));
    }

    [Theory]
    [InlineData("uniform")]
    [InlineData("faces")]
    public void Recall_command_measures_the_quantized_scan_against_exact_search(string data)
    {
        var output = Path.Combine(_temp, "recall-quantized-scan.json");

        Assert.Equal(0, RecallCommand.Run(["--index", "quantized-scan", "--data", data, "--sizes", "500", "--probes", "20", "--candidates", "4,1000", "--out", output]));

        var result = Assert.Single(JsonSerializer.Deserialize<List<ScanRecallResult>>(File.ReadAllText(output))!);
        Assert.Equal((data, 500), (result.Data, result.Faces));
        Assert.True(result.BuildMs > 0 && result.ExactP50Ms > 0);
        Assert.InRange(result.CodeLength, 2, 128);
        Assert.Equal([4, 1000], result.Settings.Select(s => s.Candidates));
        Assert.All(result.Settings, s => Assert.InRange(s.RecallGenuine, 0.9, 1.0));
        // 1000 candidates cover the whole gallery: every face is re-scored exactly.
        Assert.Equal((1.0, 1.0), (result.Settings[1].RecallGenuine, result.Settings[1].RecallRandom));
    }

    [Fact]
    public void Recall_results_of_both_data_kinds_share_a_file()
    {
        var output = Path.Combine(_temp, "recall.json");

        Assert.Equal(0, RecallCommand.Run(["--data", "uniform", "--sizes", "300", "--probes", "10", "--out", output]));
        Assert.Equal(0, RecallCommand.Run(["--data", "faces", "--sizes", "300", "--probes", "10", "--out", output]));

        var results = JsonSerializer.Deserialize<List<RecallResult>>(File.ReadAllText(output))!;
        Assert.Equal(["faces", "uniform"], results.Select(r => r.Data));
    }

    [Fact]
    public async Task Load_client_counts_requests_errors_and_percentiles()
    {
        var calls = 0;
        using var client = new HttpClient(new StubHandler(() => Interlocked.Increment(ref calls) % 5 == 0 ? HttpStatusCode.InternalServerError : HttpStatusCode.OK))
        {
            BaseAddress = new Uri("http://127.0.0.1:1"),
        };

        var result = await LoadClient.RunAsync(client, "stub", "verify-crop", _ => new HttpRequestMessage(HttpMethod.Post, "/verify"),
            concurrency: 3, TimeSpan.FromSeconds(30), maxRequests: 50);

        Assert.Equal(50, result.Requests);
        Assert.Equal(10, result.Errors);
        Assert.Equal(10, result.ErrorKinds["HTTP 500"]);
        Assert.True(result.P50Ms <= result.P95Ms && result.P95Ms <= result.P99Ms);
        Assert.True(result.RequestsPerSecond > 0);
    }

    [Fact]
    public void Load_inputs_are_demo_photos_and_small_aligned_crops()
    {
        Requires.Model("face-landmarks68.onnx");
        Requires.FaceApiPackageFile("demo/sample1.jpg");

        var subjects = LoadInputs.FromDemoPhotos();

        Assert.NotEmpty(subjects);
        using var crop = Image.Load(subjects[0].CropPng);
        Assert.Equal((LoadInputs.CropSize, LoadInputs.CropSize), (crop.Width, crop.Height));
    }

    [Fact]
    public void Report_renders_tables_and_figures_from_result_files()
    {
        var results = Path.Combine(_temp, "results");
        var docs = Path.Combine(_temp, "docs");
        Assert.Equal(0, RecallCommand.Run(["--data", "faces", "--sizes", "400", "--probes", "10", "--out", Path.Combine(results, "recall.json")]));
        Assert.Equal(0, RecallCommand.Run(["--data", "uniform", "--sizes", "400", "--probes", "10", "--out", Path.Combine(results, "recall.json")]));
        Assert.Equal(0, RecallCommand.Run(["--index", "quantized-scan", "--data", "faces", "--sizes", "400", "--probes", "10", "--candidates", "16",
            "--out", Path.Combine(results, "recall-quantized-scan.json")]));
        Directory.CreateDirectory(Path.Combine(results, "load"));
        File.WriteAllText(Path.Combine(results, "load", "stub.json"), JsonSerializer.Serialize(new[]
        {
            new LoadResult("stub", "verify-crop", 1, 100, 0, 1, 100, 5, 8, 9, new Dictionary<string, int>()),
            new LoadResult("stub", "verify-crop", 4, 300, 0, 1, 300, 10, 18, 20, new Dictionary<string, int>()),
        }));
        File.WriteAllText(Path.Combine(results, "machine.md"), "2 cores");

        Assert.Equal(0, BenchmarkReport.Write(["--results", results, "--docs", docs]));

        var markdown = File.ReadAllText(Path.Combine(docs, "BENCHMARKS.md"));
        Assert.Contains("| stub | verify-crop | 4 | 300 | 300.0 |", markdown);
        Assert.Contains("| /verify with aligned crops ≥ 200 req/s on 2 cores, zero errors | 300 req/s", markdown);
        Assert.Contains("| faces | 400 | 0 | 64 | 256 |", markdown);
        Assert.Contains("| uniform | 400 | 0 | 64 | 256 |", markdown);
        Assert.Contains("### Quantized scan", markdown);
        Assert.Matches(@"\| faces \| 400 \| \d+ \| 16 \| \d\.\d{3} \|", markdown);
        Assert.Contains("| same identity (genuine) |", markdown);
        Assert.Contains("| identify over 1M faces p50 ≤ 5 ms with recall@1 ≥ 0.99 (face-model data; uniform worst case beside it) | face-model data at 1M not measured | not measured |", markdown);
        Assert.True(File.Exists(Path.Combine(docs, "benchmarks", "throughput.png")));
    }

    private sealed class StubHandler(Func<HttpStatusCode> status) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status()));
    }
}
