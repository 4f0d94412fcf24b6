using System.Text.Json.Nodes;
using FaceService.Embeddings;
using FaceService.Faces.Alignment;
using FaceService.Training.Backbones;
using FaceService.Training.Export;
using Xunit;
using static TorchSharp.torch;

namespace FaceService.Training.Tests;

public sealed class StudentExportTests : IDisposable
{
    private readonly string _models = Directory.CreateTempSubdirectory("facetrain-export-").FullName;

    public void Dispose() => Directory.Delete(_models, recursive: true);

    [Theory]
    [InlineData(64)]
    [InlineData(56)]
    public void A_fresh_student_exports_to_onnx_that_matches_torchsharp(int inputSize)
    {
        random.manual_seed(3);
        var options = new StudentOptions { InputSize = inputSize };
        var student = BackboneFactory.Create(options);

        var result = StudentExport.Export(student, options, _models, "student-test", new JsonObject { ["licence"] = "test" });

        Assert.InRange(result.MaxAbsDifference, 0, StudentExport.ParityTolerance);
        var card = EmbeddingModelCard.Load(result.CardPath);
        Assert.Equal(new EmbeddingModelInfo("student-test", inputSize, 128, AlignmentKind.SimilarityWarp, []), card with { OperatingPoints = [] });

        // The service's embedder runs the exported file under the model-file contract.
        using var embedder = new OnnxFaceEmbedder(new EmbedderOptions { ModelPath = result.OnnxPath });
        var face = new AlignedFace(inputSize, inputSize, Enumerable.Range(0, inputSize * inputSize * 3).Select(i => (float)(i % 256)).ToArray());
        var embedding = Assert.Single(embedder.Embed([face]));
        Assert.Equal(128, embedding.Length);
        Assert.Equal(1.0, Math.Sqrt(embedding.Sum(v => (double)v * v)), 4);
    }

    [Fact]
    public void A_trained_looking_student_with_batch_statistics_still_matches()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(4);
        var options = new StudentOptions { InputSize = 64 };
        var student = BackboneFactory.Create(options);
        // A few train-mode passes move BatchNorm's running statistics away from their initial 0/1.
        student.train();
        using (no_grad())
            for (var i = 0; i < 3; i++)
                student.forward(rand(8, 64, 64, 3) * 255);

        var result = StudentExport.Export(student, options, _models, "student-bn", new JsonObject());

        Assert.InRange(result.MaxAbsDifference, 0, StudentExport.ParityTolerance);
    }

    [Fact]
    public void A_teacher_initialised_student_exports_to_onnx_that_matches_torchsharp()
    {
        var options = TeacherInitialised with { StageRepeats = [0, 1, 0, 1] };
        var student = BackboneFactory.Create(options);

        var result = StudentExport.Export(student, options, _models, "student-dlibresnet", new JsonObject());

        Assert.InRange(result.MaxAbsDifference, 0, StudentExport.ParityTolerance);
        Assert.Equal(131, EmbeddingModelCard.Load(result.CardPath).InputSize);
    }

    [Fact]
    public void A_teacher_initialised_student_with_every_block_at_150_px_is_the_teacher()
    {
        using var scope = NewDisposeScope();
        var options = TeacherInitialised with { InputSize = 150, StageRepeats = [3, 3, 2, 2] };
        var student = BackboneFactory.Create(options);
        var teacher = FaceService.Nets.Teacher.DlibResNet.FromWeights(FaceService.Nets.Tfjs.TfjsWeights.Load(options.TeacherWeights!));
        using var faces = rand(2, 150, 150, 3, generator: new Generator(5)) * 255;

        using (no_grad())
            Assert.True(student.forward(faces).allclose(teacher.forward(faces)));
        Assert.All(student.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void A_teacher_initialised_student_needs_the_teachers_weights_and_a_large_enough_input()
    {
        Assert.Contains("teacherWeights", Assert.Throws<ArgumentException>(() => BackboneFactory.Create(TeacherInitialised with { TeacherWeights = null })).Message);
        Assert.Contains("103 px", Assert.Throws<ArgumentException>(() => BackboneFactory.Create(TeacherInitialised with { InputSize = 102 })).Message);
    }

    private static StudentOptions TeacherInitialised => new()
    {
        Architecture = "dlibresnet",
        InputSize = 131,
        StageRepeats = [3, 3, 2, 2],
        TeacherWeights = FaceService.TestSupport.Requires.FaceApiPackageFile(FaceService.Nets.Acquisition.FaceApiPackage.RecognitionManifest),
    };
}
