using System.Text.Json.Nodes;
using FaceService.Embeddings;
using FaceService.Faces.Alignment;
using Xunit;

namespace FaceService.Pipeline.Tests.Embeddings;

public sealed class EmbeddingModelCardTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("model-card-").FullName;

    [Fact]
    public void ReadsTheCardBesideTheOnnxFile()
    {
        var onnx = Path.Combine(_dir, "teacher-dlib-resnet.onnx");
        File.WriteAllText(Path.Combine(_dir, "teacher-dlib-resnet.json"), """
            {"id":"dlib-resnet29-faceapi-1.7.15","inputSize":150,"dimension":128,"alignment":"SimilarityWarp",
             "operatingPoints":[{"targetFar":0.001,"cosineThreshold":0.9,"measuredOn":"LFW View 2"}]}
            """);

        var info = EmbeddingModelCard.Load(EmbeddingModelCard.PathFor(onnx));

        Assert.Equal("dlib-resnet29-faceapi-1.7.15", info.Id);
        Assert.Equal((150, 128, AlignmentKind.SimilarityWarp), (info.InputSize, info.Dimension, info.Alignment));
        Assert.Equal(new OperatingPoint(0.001, 0.9, "LFW View 2"), Assert.Single(info.OperatingPoints));
    }

    [Fact]
    public void SaveThenLoadRoundTrips()
    {
        var path = Path.Combine(_dir, "student.json");
        var info = new EmbeddingModelInfo("student-v1", 64, 128, AlignmentKind.FaceApiCrop, [new OperatingPoint(1e-3, 0.5, "x")]);

        EmbeddingModelCard.Save(info, path);
        var loaded = EmbeddingModelCard.Load(path);

        Assert.Equal((info.Id, info.InputSize, info.Dimension, info.Alignment), (loaded.Id, loaded.InputSize, loaded.Dimension, loaded.Alignment));
        Assert.Equal(info.OperatingPoints, loaded.OperatingPoints);
        Assert.Contains("\"alignment\": \"FaceApiCrop\"", File.ReadAllText(path));
    }

    [Fact]
    public void SavingOperatingPointsKeepsTheCardsProvenance()
    {
        var path = Path.Combine(_dir, "student.json");
        File.WriteAllText(path, """
            {"id":"student-v1","inputSize":112,"dimension":128,"alignment":"SimilarityWarp","operatingPoints":[],
             "training":{"config":"configs/student.json"}}
            """);
        var info = EmbeddingModelCard.Load(path);

        EmbeddingModelCard.Save(info with { OperatingPoints = [new OperatingPoint(1e-3, 0.93, "LFW")] }, path);

        Assert.Equal(new OperatingPoint(1e-3, 0.93, "LFW"), Assert.Single(EmbeddingModelCard.Load(path).OperatingPoints));
        Assert.Equal("configs/student.json", JsonNode.Parse(File.ReadAllText(path))!["training"]!["config"]!.GetValue<string>());
    }

    [Fact]
    public void MissingOrIncompleteCardFailsClearly()
    {
        Assert.Throws<FileNotFoundException>(() => EmbeddingModelCard.Load(Path.Combine(_dir, "absent.json")));
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, """{"id":"","inputSize":150,"dimension":128,"alignment":"FaceApiCrop","operatingPoints":[]}""");
        Assert.Throws<InvalidDataException>(() => EmbeddingModelCard.Load(bad));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
