using System.Text.Json;
using FaceService.Embeddings;
using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;
using FaceService.Pipeline.Tests.Faces;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Embeddings;

/// <summary>The low-resolution student in models/, which the service runs by default.</summary>
public class ShippedStudentTests
{
    public const string StudentFile = "student-lowres-112-v3-int8.onnx";

    [Fact]
    public void The_service_runs_the_student_by_default()
    {
        var appsettings = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src", "FaceService.Api", "appsettings.json")));
        var configured = appsettings.RootElement.GetProperty("Embedder").GetProperty("ModelPath").GetString();

        Assert.Equal($"models/{StudentFile}", configured);
        Assert.Equal(configured, new EmbedderOptions().ModelPath);
        var card = EmbeddingModelCard.Load(EmbeddingModelCard.PathFor(Requires.Model(StudentFile)));
        Assert.Equal(128, card.Dimension);
        Assert.True(card.InputSize < PipelineModels.Teacher.Model.InputSize, "the student takes a smaller input than the teacher");
        Assert.Contains(card.OperatingPoints, p => p.TargetFar == 0.001);
    }

    /// <summary>The image build context leaves out models/*.onnx (they are generated) except this one, which is committed.</summary>
    [Fact]
    public void The_container_image_carries_the_default_model()
    {
        string Read(string file) => File.ReadAllText(Path.Combine(TestPaths.RepoRoot, file));

        Assert.Contains($"!models/{StudentFile}", Read(".dockerignore").Split('\n').Select(line => line.Trim()));
        Assert.Contains($"models/{StudentFile}", Read("Dockerfile"));
        Assert.Contains($"Embedder__ModelPath: models/{StudentFile}", Read("docker-compose.yml"));
    }

    /// <summary>
    /// The student was trained toward the teacher's embeddings, so its embedding of a face must pick out the teacher's
    /// embedding of the same face among the 21 people of face-api's demo photos: this is what lets a teacher-enrolled HR
    /// gallery be probed by the student.
    /// </summary>
    [Fact]
    public void The_student_embeds_faces_in_the_teachers_space()
    {
        using var student = new OnnxFaceEmbedder(new EmbedderOptions { ModelPath = Requires.Model(StudentFile) });
        var analyzer = PipelineModels.Analyzer(PipelineModels.Detector);
        var images = Enumerable.Range(1, 6).Select(k => ImageDecoder.Decode(File.ReadAllBytes(TestPaths.DemoImage(k)), new ImageDecodeOptions())).ToList();
        var teacherFaces = images.SelectMany(image => analyzer.Analyze(image, AlignmentKind.SimilarityWarp, PipelineModels.Teacher.Model.InputSize)).ToList();
        var studentFaces = images.SelectMany(image => analyzer.Analyze(image, AlignmentKind.SimilarityWarp, student.Model.InputSize)).ToList();
        Assert.Equal(teacherFaces.Count, studentFaces.Count);
        Assert.True(teacherFaces.Count >= 15, $"the demo photos hold 21 people; {teacherFaces.Count} faces found");

        var teacher = PipelineModels.Teacher.Embed(teacherFaces.Select(f => f.Aligned).ToList());
        var probes = student.Embed(studentFaces.Select(f => f.Aligned).ToList());

        for (var i = 0; i < probes.Length; i++)
        {
            var similarities = teacher.Select(t => EmbeddingMath.Cosine(probes[i], t)).ToArray();
            Assert.Equal(i, Array.IndexOf(similarities, similarities.Max()));
        }
    }
}
