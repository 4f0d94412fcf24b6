using System.Text.Json;
using System.Text.Json.Nodes;
using FaceService.Embeddings;
using FaceService.Faces.Alignment;
using FaceService.Faces.Onnx;
using FaceService.Nets.Onnx;
using FaceService.Training.Backbones;
using static TorchSharp.torch;

namespace FaceService.Training.Export;

public sealed record StudentExportResult(string OnnxPath, string CardPath, double MaxAbsDifference);

/// <summary>
/// Writes a student as models/NAME.onnx through the nets' generic ONNX writer, under the model-file contract
/// (input "input" [N,S,S,3] NHWC 0..255, output "output" [N,128], not normalised), checks that ONNX Runtime
/// reproduces TorchSharp on seeded random faces, and writes the model card models/NAME.json.
/// </summary>
public static class StudentExport
{
    public const double ParityTolerance = 1e-4;

    public static StudentExportResult Export(nn.Module<Tensor, Tensor> student, StudentOptions options, string modelsDirectory, string name,
        JsonObject provenance)
    {
        Directory.CreateDirectory(modelsDirectory);
        var onnxPath = Path.Combine(modelsDirectory, name + ".onnx");
        var size = options.InputSize;
        OnnxExporter.Export(student, new OnnxExportOptions(["N", size, size, 3], ["N", options.EmbeddingSize])
        {
            GraphName = name,
            DocString = $"{options.Architecture} student, {size}x{size} SimilarityWarp-aligned NHWC RGB 0..255 in, {options.EmbeddingSize}-D embedding in the teacher's space out",
        }, onnxPath);

        var difference = MaxAbsDifference(student, onnxPath, size);
        if (difference > ParityTolerance)
            throw new InvalidOperationException($"{onnxPath}: ONNX Runtime differs from TorchSharp by {difference:G3} (> {ParityTolerance}).");

        var cardPath = EmbeddingModelCard.PathFor(onnxPath);
        // A new model gets a new card: nothing of an earlier export's card (its operating points) may carry over.
        File.Delete(cardPath);
        var info = new EmbeddingModelInfo(name, size, options.EmbeddingSize, AlignmentKind.SimilarityWarp, []);
        // The service reads the EmbeddingModelInfo fields; the rest documents the model for people.
        var details = new JsonObject
        {
            ["architecture"] = JsonSerializer.SerializeToNode(options, new JsonSerializerOptions(JsonSerializerDefaults.Web)),
            ["parameters"] = student.parameters().Sum(p => p.numel()),
            ["parityMaxAbsDiff"] = difference,
        };
        foreach (var (key, value) in provenance)
            details[key] = value?.DeepClone();
        EmbeddingModelCard.Save(info, cardPath, details);
        return new StudentExportResult(onnxPath, cardPath, difference);
    }

    /// <summary>Max |TorchSharp − ONNX Runtime| over a batch of seeded random faces, in eval mode.</summary>
    public static double MaxAbsDifference(nn.Module<Tensor, Tensor> model, string onnxPath, int size, int faces = 4)
    {
        using var scope = NewDisposeScope();
        var input = rand(faces, size, size, 3, generator: new Generator(1234)) * 255;
        var wasTraining = model.training;
        model.eval();
        float[] expected;
        using (no_grad())
            expected = model.forward(input).data<float>().ToArray();
        if (wasTraining)
            model.train();

        using var session = new OnnxModelSession(onnxPath, intraOpThreads: 1);
        var (actual, _) = session.Run(input.data<float>().ToArray(), [faces, size, size, 3]);
        if (actual.Length != expected.Length)
            throw new InvalidOperationException($"{onnxPath}: {actual.Length} outputs, TorchSharp gives {expected.Length}.");
        return expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).Max();
    }
}
