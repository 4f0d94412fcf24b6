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
        private int _calls;

        public int Calls => _calls;

        public IReadOnlyList<AnalyzedFace> Analyze(RgbImage image, AlignmentKind alignment, int alignedSize)
        {
            Interlocked.Increment(ref _calls);
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

    /// <summary>
    /// Maps a grey level to a unit vector at <paramref name="radiansPerGrey"/> times that angle: different people,
    /// different directions; two fakes with different rates are two models whose spaces disagree. Like the ONNX
    /// embedder, it takes only faces of its own input size.
    /// </summary>
    private sealed class FakeEmbedder(string id = "fake", int inputSize = InputSize, float radiansPerGrey = 0.01f, int dimension = 2) : IFaceEmbedder
    {
        public int FacesEmbedded { get; private set; }

        public EmbeddingModelInfo Model { get; } = new(id, inputSize, dimension, AlignmentKind.SimilarityWarp, []);

        public static float[] Direction(double angle) => [(float)Math.Cos(angle), (float)Math.Sin(angle)];

        public float[][] Embed(IReadOnlyList<AlignedFace> faces)
        {
            Assert.All(faces, f => Assert.Equal((inputSize, inputSize), (f.Width, f.Height)));
            FacesEmbedded += faces.Count;
            return faces.Select(f => Direction(f.Pixels[0] * radiansPerGrey)).ToArray();
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

        var runs = evaluation.Run(new LfwRunInput(pairs, 2, "pairs.txt", "images", "fake.onnx", "test"),
            new LfwEvaluationOptions([AlignmentKind.SimilarityWarp, AlignmentKind.FaceApiCrop], [12, 8], [PairProtocol.LrLr, PairProtocol.HrLr], ChunkSize: 2),
            new SynchronousProgress(progress));

        Assert.Equal([AlignmentKind.SimilarityWarp, AlignmentKind.FaceApiCrop], runs.Select(r => r.Report.Alignment));
        var report = runs[0].Report;
        Assert.Equal(new Dictionary<string, int> { ["416@0.5"] = 2, ["224@0.2-centre"] = 2 }, report.Detection.ImagesPerStage);
        Assert.Equal(["416@0.5", "224@0.2-centre"], report.Detection.ImagesPerStage.Keys); // cascade order
        Assert.Equal(["Cy/Cy_0001.jpg", "Cy/Cy_0002.jpg"], report.Detection.FallbackImageNames);
        Assert.Equal(2, report.Detection.FallbackImages);
        Assert.Equal(LfwEvaluation.FallbackSource, runs[0].ImageSources["Cy/Cy_0002.jpg"]);
        Assert.Equal("224@0.2-centre", runs[0].ImageSources["Bob/Bob_0001.jpg"]);
        Assert.Equal(report.Results.Count, runs[0].Scores.Count);
        Assert.All(runs[0].Scores, scores => Assert.Equal(pairs.Pairs.Select(p => p.IsSame), scores.Select(s => s.IsSame)));

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

    [Fact]
    public void With_a_gallery_model_the_first_image_is_its_hr_embedding_and_the_second_the_probe_models()
    {
        var pairs = LfwPairsParser.Parse(new StringReader(Pairs));
        var analyzer = new FakeAnalyzer();
        var gallery = new FakeEmbedder("teacher", inputSize: 16, radiansPerGrey: 0.01f);
        var probe = new FakeEmbedder("student", inputSize: 8, radiansPerGrey: 0.02f);
        var evaluation = new LfwEvaluation(analyzer, [new FakeAligner(AlignmentKind.SimilarityWarp)], probe, Decode, gallery);

        var run = evaluation.Run(new LfwRunInput(pairs, 2, "pairs.txt", "images", "student.onnx", "test", GalleryModelFile: "teacher.onnx"),
            new LfwEvaluationOptions([AlignmentKind.SimilarityWarp], [4], [PairProtocol.HrLr], ChunkSize: 2))[0];

        var report = run.Report;
        Assert.Equal(new LfwGalleryModel("teacher", "teacher.onnx", 16, AlignmentKind.SimilarityWarp), report.Gallery);
        Assert.Equal(("student", 8), (report.ModelId, report.InputSize));
        Assert.Equal([(PairProtocol.HrHr, (int?)null), (PairProtocol.HrLr, 4)], report.Results.Select(r => (r.Protocol, r.Size)));
        // Detection runs once per image; the gallery embeds each image once (HR), the probe at HR and at 4 px.
        Assert.Equal(6, analyzer.Calls);
        Assert.Equal((6, 12), (gallery.FacesEmbedded, probe.FacesEmbedded));
        Assert.Equal(18, report.Timings.EmbeddingsComputed);

        // A uniform crop stays uniform when degraded, so every score is the gallery's angle of the first person
        // against the probe's angle of the second. Swapping the sides changes every different-person score
        // (Ann-Bob: cos(0.4 - 2.4) against cos(0.8 - 1.2)); so does scoring both sides with either model.
        var expected = pairs.Pairs.Select(p => Math.Cos(GreyOf[p.FirstImage.Split('/')[0]] * 0.01 - GreyOf[p.SecondImage.Split('/')[0]] * 0.02)).ToList();
        Assert.All(run.Scores, scores => Assert.All(expected.Zip(scores), e => Assert.Equal(e.First, e.Second.Score, 5)));
    }

    /// <summary>
    /// A degraded crop carries its degraded size as its source resolution, so a routed pair embeds each size as the
    /// service would a face of that many pixels: here HR (16 px crops) and 12 px by the general model, 8 px by the expert.
    /// </summary>
    [Fact]
    public void A_resolution_routed_pair_embeds_the_sizes_below_its_boundary_with_the_low_resolution_model()
    {
        var pairs = LfwPairsParser.Parse(new StringReader(Pairs));
        var general = new FakeEmbedder("general");
        var expert = new FakeEmbedder("expert");
        var routed = new ResolutionRoutedEmbedder(general, expert, belowPixels: 12);
        var evaluation = new LfwEvaluation(new FakeAnalyzer(), [new FakeAligner(AlignmentKind.SimilarityWarp)], routed, Decode);
        var expertReport = new LfwLowResolutionModel("expert", "expert.onnx", 12);

        var report = evaluation.Run(new LfwRunInput(pairs, 2, "pairs.txt", "images", "general.onnx", "test", LowResolutionModel: expertReport),
            new LfwEvaluationOptions([AlignmentKind.SimilarityWarp], [12, 8], [PairProtocol.LrLr], ChunkSize: 2))[0].Report;

        Assert.Equal((12, 6), (general.FacesEmbedded, expert.FacesEmbedded));
        Assert.Equal("general+expert<12px", report.ModelId);
        Assert.Equal(expertReport, report.LowResolutionModel);
    }

    [Fact]
    public void A_gallery_model_with_another_embedding_dimension_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new LfwEvaluation(new FakeAnalyzer(), [new FakeAligner(AlignmentKind.SimilarityWarp)],
            new FakeEmbedder("student", dimension: 2), Decode, new FakeEmbedder("teacher", dimension: 128)));

        Assert.Contains("teacher gives 128-D embeddings and the probe model student 2-D", error.Message);
    }

    [Fact]
    public void Lr_lr_is_refused_with_a_gallery_model_before_any_image_is_read()
    {
        var analyzer = new FakeAnalyzer();
        var evaluation = new LfwEvaluation(analyzer, [new FakeAligner(AlignmentKind.SimilarityWarp)],
            new FakeEmbedder("student"), _ => throw new InvalidOperationException("no image should be read"), new FakeEmbedder("teacher"));

        var error = Assert.Throws<ArgumentException>(() => evaluation.Run(
            new LfwRunInput(LfwPairsParser.Parse(new StringReader(Pairs)), 2, "pairs.txt", "images", "student.onnx", "test", GalleryModelFile: "teacher.onnx"),
            new LfwEvaluationOptions([AlignmentKind.SimilarityWarp], [8], [PairProtocol.LrLr, PairProtocol.HrLr])));

        Assert.Contains("only HR-LR runs", error.Message);
        Assert.Equal(0, analyzer.Calls);
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
