using FaceService.Embeddings;
using FaceService.Evaluation.Lfw;
using FaceService.Evaluation.Reports;
using FaceService.Faces;
using FaceService.Faces.Alignment;
using FaceService.Faces.Detection;
using FaceService.Faces.Imaging;
using FaceService.Faces.Landmarks;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Evaluation;

/// <summary>The runner on the real nets and a few real LFW pairs (the first two of each class in two folds).</summary>
public class LfwEvaluationModelTests
{
    private const string FewPairs = """
        2 2
        Abel_Pacheco	1	4
        Akhmed_Zakayev	1	3
        Abdel_Madi_Shabneh	1	Dean_Barker	1
        Abdel_Madi_Shabneh	1	Giancarlo_Fisichella	1
        Abdullah_Gul	1	6
        Abdullah_Gul	1	8
        Adolfo_Rodriguez_Saa	1	Dave_Odom	1
        Adolfo_Rodriguez_Saa	1	Nancy_Powell	1
        """;

    [SkippableFact]
    public void The_teacher_tells_real_same_and_different_pairs_apart_at_hr_and_loses_margin_at_8_pixels()
    {
        Requires.Shared();
        var imageRoot = Path.Combine(TestPaths.SharedDir, "datasets", "lfw", "lfw-deepfunneled");
        using var embedder = new OnnxFaceEmbedder(new EmbedderOptions { ModelPath = Requires.Model("teacher-dlib-resnet.onnx") });
        var faceOptions = new FaceAnalysisOptions
        {
            Detector = { ModelPath = Requires.Model("face-detector.onnx") },
            Landmarks = { ModelPath = Requires.Model("face-landmarks68.onnx") },
        };
        using var detector = new TinyFaceDetector(faceOptions.Detector);
        using var landmarker = new Landmark68Net(faceOptions.Landmarks);
        IFaceAligner[] aligners = [new SimilarityWarpAligner(), new FaceApiCropAligner()];
        var evaluation = new LfwEvaluation(
            new FaceAnalyzer(new CascadeFaceDetector(detector, faceOptions.Cascade), landmarker, aligners), aligners, embedder,
            image => ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(imageRoot, image)), faceOptions.Decode));
        var pairs = LfwPairsParser.Parse(new StringReader(FewPairs));

        var report = evaluation.Run(new LfwRunInput(pairs, 2, "pairs", imageRoot, "teacher", "test"),
            new LfwEvaluationOptions([AlignmentKind.SimilarityWarp], [8], [PairProtocol.LrLr]))[0];

        Assert.Equal(pairs.DistinctImages().Count, report.Detection.ImagesPerStage.Values.Sum() + report.Detection.FallbackImages);
        var hr = report.Find(PairProtocol.HrHr, null)!.Verification;
        Assert.Equal(1.0, hr.Accuracy.Mean);
        // Perfect separation at HR: the 1e-3 threshold (the highest impostor score) still accepts every genuine pair.
        Assert.Equal(1.0, hr.AtFar1e3.Tar);
        var at8 = report.Find(PairProtocol.LrLr, 8)!.Verification;
        Assert.True(at8.AtFar1e3.Threshold > hr.AtFar1e3.Threshold, "at 8 px impostors look more alike than at HR");
    }
}
