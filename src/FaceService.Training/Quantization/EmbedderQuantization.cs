using System.Text.Json.Nodes;
using FaceService.Embeddings;
using FaceService.Faces.Alignment;
using FaceService.Faces.Onnx;
using FaceService.Nets.Onnx;
using FaceService.Nets.Quantization;
using FaceService.Training.Cli;
using Onnx;

namespace FaceService.Training.Quantization;

/// <summary>How closely the int8 model's embeddings follow the float model's on faces calibration never saw.</summary>
public sealed record EmbeddingAgreement(int Faces, double MeanCosine, double MinCosine);

public sealed record EmbedderQuantizationResult(string OnnxPath, string CardPath, QdqSummary Summary, EmbeddingAgreement Agreement);

/// <summary>
/// Static int8 quantisation of an embedding model (ONNX file + model card): calibrate the float model's
/// activation ranges on faces, write the QDQ model and its card, and measure agreement with the float model.
/// </summary>
public static class EmbedderQuantization
{
    public const int BatchSize = 8;

    /// <summary>Reads an embedding model and its card, refusing anything that is not an embedder under the model-file contract.</summary>
    public static (ModelProto Model, EmbeddingModelInfo Info) Load(string modelPath)
    {
        var model = OnnxModelFile.Read(modelPath);
        if (QdqQuantizer.IsQuantized(model))
            throw new InvalidDataException($"{modelPath} is already quantised.");
        var info = EmbeddingModelCard.Load(EmbeddingModelCard.PathFor(modelPath));
        var graph = model.Graph;
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        long[]? Dims(ValueInfoProto value) => value.Type?.TensorType?.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue : -1).ToArray();
        var size = info.InputSize;
        if (inputs is not [{ Name: "input" } input] || Dims(input) is not [_, var h, var w, 3] || h != size || w != size)
            throw new InvalidDataException($"{modelPath} is not an embedding model: it needs one input \"input\" [N,{size},{size},3] (its card says {size} px).");
        if (graph.Output is not [{ Name: "output" } output] || Dims(output) is not [_, var dimension] || (dimension > 0 && dimension != info.Dimension))
            throw new InvalidDataException($"{modelPath} is not an embedding model: it needs one output \"output\" [N,{info.Dimension}].");
        return (model, info);
    }

    /// <summary>The calibration step alone: every range <see cref="QdqQuantizer"/> needs, observed over <paramref name="faces"/>.</summary>
    public static IReadOnlyDictionary<string, ActivationRange> Calibrate(ModelProto model, IReadOnlyList<AlignedFace> faces, int threads, IStepProgress progress)
    {
        using var calibration = new ActivationCalibration(model, QdqQuantizer.CalibrationTensors(model).ToList(), threads);
        foreach (var (input, shape) in Batches(faces))
        {
            calibration.Observe(input, shape);
            progress.Advance(shape[0]);
        }
        return calibration.Ranges;
    }

    /// <summary>Quantises with the calibrated ranges and writes the int8 model.</summary>
    public static QdqQuantization Quantize(ModelProto model, IReadOnlyDictionary<string, ActivationRange> ranges, string outputPath)
    {
        var quantized = QdqQuantizer.Quantize(model, ranges);
        quantized.Model.Graph.DocString = $"{model.Graph.DocString} Static int8 QDQ quantisation (FaceService.Nets.Quantization).".Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        OnnxModelFile.Write(quantized.Model, outputPath);
        return quantized;
    }

    /// <summary>Cosine similarity between the two models' embeddings of each face: mean and minimum.</summary>
    public static EmbeddingAgreement Agreement(string floatPath, string quantizedPath, IReadOnlyList<AlignedFace> faces, int threads, IStepProgress progress)
    {
        using var reference = new OnnxModelSession(floatPath, threads);
        using var candidate = new OnnxModelSession(quantizedPath, threads);
        var cosines = new List<double>(faces.Count);
        foreach (var (input, shape) in Batches(faces))
        {
            var (expected, outShape) = reference.Run(input, shape);
            var (actual, _) = candidate.Run(input, shape);
            var dimension = outShape[1];
            for (var n = 0; n < shape[0]; n++)
                cosines.Add(EmbeddingMath.Cosine(expected.AsSpan(n * dimension, dimension), actual.AsSpan(n * dimension, dimension)));
            progress.Advance(shape[0]);
        }
        return cosines.Count == 0
            ? throw new ArgumentException("agreement needs at least one face", nameof(faces))
            : new EmbeddingAgreement(cosines.Count, cosines.Average(), cosines.Min());
    }

    /// <summary>
    /// The int8 model's card: a copy of the float model's card with the id suffixed (so embeddings of the two are
    /// never mixed in a gallery) and a <c>quantization</c> block recording how it was made and what it agrees to. The
    /// float model's operating points are dropped: thresholds are measured on the model they serve
    /// (<c>facetrain eval --write-operating-points</c>), and the service refuses a card without one.
    /// </summary>
    public static string WriteCard(string floatModelPath, string outputPath, JsonObject quantization)
    {
        var floatCardPath = EmbeddingModelCard.PathFor(floatModelPath);
        var info = EmbeddingModelCard.Load(floatCardPath);
        var cardPath = EmbeddingModelCard.PathFor(outputPath);
        File.Copy(floatCardPath, cardPath, overwrite: true);
        EmbeddingModelCard.Save(info with { Id = $"{info.Id}-int8", OperatingPoints = [] }, cardPath, new JsonObject { ["quantization"] = quantization });
        return cardPath;
    }

    private static IEnumerable<(float[] Input, int[] Shape)> Batches(IReadOnlyList<AlignedFace> faces)
    {
        for (var start = 0; start < faces.Count; start += BatchSize)
            yield return AlignedFace.Batch(faces, start, Math.Min(BatchSize, faces.Count - start));
    }
}
