using FaceService.Embeddings;
using FaceService.Evaluation.Lfw;
using FaceService.Evaluation.Reports;
using FaceService.Faces;
using FaceService.Faces.Alignment;
using FaceService.Faces.Detection;
using FaceService.Faces.Imaging;
using Xunit;

namespace FaceService.Pipeline.Tests.Evaluation;

/// <summary>The runner's plumbing on fakes: a person is a grey level, and the embedder reads it back.</summary>
public class LfwEvaluationTests
{
    private const int InputSize = 16;
    private static readonly DetectionStage Primary = new(416, 0.5, false);
    private static readonly DetectionStage Centre = new(224, 0.2, true);

    // Two folds of one same and one different pair. Cy's images have no detectable face.
    private const string Pairs = """
        2 1
        Ann 1 2
        Ann 1 Bob 1
        Cy 1 2
        Cy 1 Bob 2
        """;

    private static readonly Dictionary<string, byte> GreyOf = new() { ["Ann"] = 40, ["Bob"] = 120, ["Cy"] = 200 };

    private static RgbImage Decode(string path)
    {
        var person = path.Split('/')[0];
        return new RgbImage(20, 20, Enumerable.Repeat(GreyOf[person], 20 * 20 * 3).ToArray());
    }

    private static FaceLandmarks Landmarks(double offset) =>
        new(Enumerable.Range(0, 68).Select(i => new Point2(i % 10 + offset, i / 10 + offset)).ToList());

    private sealed class FakeAnalyzer : IFaceAnalyzer
    {
        public IReadOnlyList<AnalyzedFace> Analyze(RgbImage image, AlignmentKind alignment, int alignedSize)
        {
            if (image.Pixels[0] == GreyOf["Cy"])
                return [];
            // Bob is found only by the cascade's last stage, and the off-centre box must lose to the central one.
            var stage = image.Pixels[0] == GreyOf["Bob"] ? Centre : Primary;
            var landmarks = Landmarks(image.Pixels[0] == GreyOf["Bob"] ? 4 : 2);
            AnalyzedFace Face(double x, FaceLandmarks points) => new(
                new DetectedFace(new FaceBox(x, 5, 10, 10), 0.9) { Stage = stage }, points,
                new FaceQuality(10, 10, 5, 0.9), new FakeAligner(alignment).Align(image, points, alignedSize)!);
            return [Face(15, Landmarks(100)), Face(5, landmarks)]; // the first lies off centre
        }
    }

    private sealed class FakeAligner(AlignmentKind kind) : IFaceAligner
    {
        public List<FaceLandmarks> Seen { get; } = [];

        public AlignmentKind Kind => kind;

        public AlignedFace? Align(RgbImage image, FaceLandmarks landmarks, int size)
        {
            lock (Seen)
                Seen.Add(landmarks);
            return new AlignedFace(size, size, Enumerable.Repeat((float)image.Pixels[0], size * size * 3).ToArray());
        }
    }

    /// <summary>Maps a grey level to a unit vector at that angle: different people, different directions.</summary>
    private sealed class FakeEmbedder : IFaceEmbedder
    {
        public int Calls { get; private set; }

        public EmbeddingModelInfo Model { get; } = new("fake", InputSize, 2, AlignmentKind.SimilarityWarp, []);

        public float[][] Embed(IReadOnlyList<AlignedFace> faces)
        {
            Calls++;
            return faces.Select(f => new[] { MathF.Cos(f.Pixels[0] / 100f), MathF.Sin(f.Pixels[0] / 100f) }).ToArray();
        }
    }

    [Fact]
    public void Every_pair_is_scored_at_every_size_and_faceless_images_use_the_mean_landmarks()
    {
        var pairs = LfwPairsParser.Parse(new StringReader(Pairs));
        var warp = new FakeAligner(AlignmentKind.SimilarityWarp);
        var crop = new FakeAligner(AlignmentKind.FaceApiCrop);
        var embedder = new FakeEmbedder();
        var evaluation = new LfwEvaluation(new FakeAnalyzer(), [warp, crop], embedder, Decode);
        var progress = new List<LfwProgress>();

        var reports = evaluation.Run(new LfwRunInput(pairs, 2, "pairs.txt", "images", "fake.onnx", "test"),
            new LfwEvaluationOptions([AlignmentKind.SimilarityWarp, AlignmentKind.FaceApiCrop], [12, 8], [PairProtocol.LrLr, PairProtocol.HrLr], ChunkSize: 2),
            new SynchronousProgress(progress));

        Assert.Equal([AlignmentKind.SimilarityWarp, AlignmentKind.FaceApiCrop], reports.Select(r => r.Alignment));
        var report = reports[0];
        Assert.Equal(new Dictionary<string, int> { ["416@0.5"] = 2, ["224@0.2-centre"] = 2 }, report.Detection.ImagesPerStage);
        Assert.Equal(["416@0.5", "224@0.2-centre"], report.Detection.ImagesPerStage.Keys); // cascade order
        Assert.Equal(["Cy/Cy_0001.jpg", "Cy/Cy_0002.jpg"], report.Detection.FallbackImageNames);
        Assert.Equal(2, report.Detection.FallbackImages);

        // The fallback landmarks are the mean of Ann's (offset 2) and Bob's (offset 4) central faces, 2 images each: offset 3.
        Assert.Equal(Landmarks(3).Points, warp.Seen[^1].Points.Select(p => new Point2(Math.Round(p.X, 9), Math.Round(p.Y, 9))));

        Assert.Equal(5, report.Results.Count); // HR, then LR-LR and HR-LR at 12 and 8 px
        Assert.All(report.Results, r => Assert.Equal(1.0, r.Verification.Accuracy.Mean));
        Assert.Equal(6 * 3 * 2, report.Timings.EmbeddingsComputed);
        Assert.Equal((6, 4), (report.Scope.Images, report.Scope.Pairs));
        Assert.True(report.Scope.IsFullProtocol);
        Assert.Equal(6, progress.Where(p => p.Phase == LfwEvaluation.DetectPhase).Max(p => p.Done));
        Assert.Equal((36, 36), (progress.Where(p => p.Phase == LfwEvaluation.EmbedPhase).Max(p => p.Done), progress[^1].Total));
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; a test wants the reports in hand when Run returns.</summary>
    private sealed class SynchronousProgress(List<LfwProgress> sink) : IProgress<LfwProgress>
    {
        public void Report(LfwProgress value)
        {
            lock (sink)
                sink.Add(value);
        }
    }
}
