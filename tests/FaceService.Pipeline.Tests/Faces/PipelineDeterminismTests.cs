using FaceService.Embeddings;
using FaceService.Evaluation.Lfw;
using FaceService.Faces;
using FaceService.Faces.Alignment;
using FaceService.Faces.Detection;
using FaceService.Faces.Imaging;
using FaceService.Faces.Landmarks;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Faces;

/// <summary>
/// Issue 2: the same image gives the same crop, bit for bit, whatever else is processed with it; and the embedder's
/// output for a face does not depend on the batch it is in. LFW images, including two whose detection box lies
/// within 1e-4 px of an integer (the landmark crop floors it, so any float drift there moves the crop by a pixel).
/// </summary>
public sealed class PipelineDeterminismTests
{
    private static readonly string[] BorderlineImages =
        ["Carlos_Menem/Carlos_Menem_0018.jpg", "Aleksander_Kwasniewski/Aleksander_Kwasniewski_0002.jpg"];

    /// <summary>The landmark net as the service runs it (default options, refinement included).</summary>
    private static Landmark68Net ServiceLandmarker() => new(new Landmark68Options { ModelPath = Requires.Model("face-landmarks68.onnx") });

    private static List<RgbImage> LfwImages(int count)
    {
        var root = Path.Combine(TestPaths.SharedDir, "datasets", "lfw");
        var names = BorderlineImages.Concat(LfwPairsParser.Load(Path.Combine(root, "pairs.txt")).DistinctImages().Take(count - BorderlineImages.Length));
        return names.Select(n => ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(root, "lfw-deepfunneled", n)), new ImageDecodeOptions())).ToList();
    }

    [SkippableFact]
    public void CropsAreBitIdenticalWhateverTheOrderAndTheNumberOfParallelWorkers()
    {
        Requires.Shared();
        var images = LfwImages(24);
        using var landmarker = ServiceLandmarker();
        var analyzer = new FaceAnalyzer(new CascadeFaceDetector(PipelineModels.Detector, new DetectionCascadeOptions()), landmarker, [new SimilarityWarpAligner()]);
        AnalyzedFace?[] Analyze(IEnumerable<int> order, int workers)
        {
            var faces = new AnalyzedFace?[images.Count];
            Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = workers }, i =>
                faces[i] = LfwFaceChoice.Central(analyzer.Analyze(images[i], AlignmentKind.SimilarityWarp, 150), images[i]));
            return faces;
        }

        var sequential = Analyze(Enumerable.Range(0, images.Count), 1);
        var reversedInParallel = Analyze(Enumerable.Range(0, images.Count).Reverse(), 2);

        for (var i = 0; i < images.Count; i++)
        {
            Assert.NotNull(sequential[i]);
            Assert.Equal(sequential[i]!.Landmarks.Points, reversedInParallel[i]!.Landmarks.Points);
            Assert.Equal(sequential[i]!.Aligned.Pixels, reversedInParallel[i]!.Aligned.Pixels);
        }
    }

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    public void AFacesEmbeddingDoesNotDependOnItsBatch(int intraOpThreads)
    {
        Requires.Shared();
        var images = LfwImages(12);
        using var landmarker = ServiceLandmarker();
        var analyzer = new FaceAnalyzer(new CascadeFaceDetector(PipelineModels.Detector, new DetectionCascadeOptions()), landmarker, [new SimilarityWarpAligner()]);
        var faces = images.Select(image => analyzer.Analyze(image, AlignmentKind.SimilarityWarp, 150)[0].Aligned).ToList();
        using var embedder = new OnnxFaceEmbedder(new EmbedderOptions
        {
            ModelPath = Requires.Model("teacher-dlib-resnet.onnx"), IntraOpThreads = intraOpThreads, MaxBatchSize = 8,
        });

        var batched = embedder.EmbedRaw(faces);
        var oneByOne = faces.Select(face => embedder.EmbedRaw([face])[0]).ToList();
        var shiftedByOne = embedder.EmbedRaw(faces.Skip(1).ToList());

        Assert.Equal(batched, oneByOne);
        Assert.Equal(batched.Skip(1), shiftedByOne);
    }
}
