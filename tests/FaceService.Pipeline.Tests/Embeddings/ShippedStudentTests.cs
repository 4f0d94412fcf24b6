using System.Text.Json;
using FaceService.Embeddings;
using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;
using FaceService.Pipeline.Tests.Faces;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Embeddings;

/// <summary>
/// The low-resolution students in models/, which the service runs by default: the general student, and the expert that
/// faces below <see cref="EmbedderOptions.LowResolutionBelowPixels"/> source pixels are routed to.
/// </summary>
public class ShippedStudentTests
{
    public const string StudentFile = "student-lowres-112-v3-int8.onnx";
    public const string LowResolutionExpertFile = "student-lowres-112-v4-lr-int8.onnx";

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

    [Fact]
    public void The_service_routes_small_faces_to_the_low_resolution_expert_by_default()
    {
        var embedder = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src", "FaceService.Api", "appsettings.json")))
            .RootElement.GetProperty("Embedder");

        Assert.Equal($"models/{LowResolutionExpertFile}", embedder.GetProperty("LowResolutionModelPath").GetString());
        Assert.Equal(new EmbedderOptions().LowResolutionBelowPixels, embedder.GetProperty("LowResolutionBelowPixels").GetInt32());
        using var pair = new ConfiguredEmbedder(new EmbedderOptions
        {
            ModelPath = Requires.Model(StudentFile), LowResolutionModelPath = Requires.Model(LowResolutionExpertFile),
        });
        Assert.IsType<ResolutionRoutedEmbedder>(pair.Embedder);
    }

    /// <summary>The image build context leaves out models/*.onnx (they are generated) except this one, which is committed.</summary>
    [Fact]
    public void The_container_image_carries_the_default_model()
    {
        string Read(string file) => File.ReadAllText(Path.Combine(TestPaths.RepoRoot, file));

        foreach (var file in new[] { StudentFile, LowResolutionExpertFile })
        {
            Assert.Contains($"!models/{file}", Read(".dockerignore").Split('\n').Select(line => line.Trim()));
            Assert.Contains($"models/{file}", Read("Dockerfile"));
        }
        Assert.Contains($"Embedder__ModelPath: models/{StudentFile}", Read("docker-compose.yml"));
        Assert.Contains($"Embedder__LowResolutionModelPath: models/{LowResolutionExpertFile}", Read("docker-compose.yml"));
    }

    /// <summary>
    /// The student was trained toward the teacher's embeddings, so its embedding of a face must pick out the teacher's
    /// embedding of the same face among the 21 people of face-api's demo photos: this is what lets a teacher-enrolled HR
    /// gallery be probed by the student, and the general student's HR gallery by the expert.
    /// </summary>
    [Theory]
    [InlineData(StudentFile)]
    [InlineData(LowResolutionExpertFile)]
    public void The_student_embeds_faces_in_the_teachers_space(string file)
    {
        using var student = new OnnxFaceEmbedder(new EmbedderOptions { ModelPath = Requires.Model(file) });
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
