using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using FaceService.Training.Cli;
using FaceService.Training.Data;
using FaceService.Training.Quantization;

namespace FaceService.Training.Commands;

/// <summary>
/// <c>facetrain quantize --model DIR/X.onnx --crops artifacts/train-cache</c>: static int8 (QDQ) quantisation of an
/// embedding model, calibrated on training crops, written as DIR/X-int8.onnx + card, with its agreement to the float model.
/// </summary>
public static class QuantizeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Float ONNX embedding model (its model card beside it).", Required = true };
        var crops = new Option<string>("--crops") { Description = "Training crop cache made by prepare (never an evaluation set).", DefaultValueFactory = _ => "artifacts/train-cache" };
        var calibrationFaces = new Option<int>("--calibration-faces") { Description = "Training crops to calibrate activation ranges on.", DefaultValueFactory = _ => 512 };
        var heldOutFaces = new Option<int>("--agreement-faces") { Description = "Other training crops to compare int8 with float embeddings on.", DefaultValueFactory = _ => 256 };
        var seed = new Option<int>("--seed") { Description = "Seed of the crop sample and of its degradation.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads.", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out") { Description = "Output ONNX file; default: X-int8.onnx beside the model." };
        var command = new Command("quantize", "Quantise an ONNX embedding model to static int8 (QDQ: per-channel int8 weights, calibrated uint8 activations) and measure its agreement with the float model.")
        {
            model, crops, calibrationFaces, heldOutFaces, seed, threads, output,
        };
        command.SetAction(parse => CommandErrors.Run("quantize", () =>
        {
            var modelPath = parse.GetValue(model)!;
            var outputPath = parse.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(modelPath) ?? "", Path.GetFileNameWithoutExtension(modelPath) + "-int8.onnx");
            return Run(modelPath, parse.GetValue(crops)!, parse.GetValue(calibrationFaces), parse.GetValue(heldOutFaces), parse.GetValue(seed),
                parse.GetValue(threads), outputPath);
        }));
        return command;
    }

    private static int Run(string modelPath, string cacheDirectory, int calibrationCount, int heldOutCount, int seed, int threads, string outputPath)
    {
        if (Path.GetFullPath(outputPath) == Path.GetFullPath(modelPath))
            throw new ArgumentException("--out must differ from --model.");
        var (model, info) = EmbedderQuantization.Load(modelPath);
        using var cache = CropCache.Open(cacheDirectory);
        var (calibrationCrops, heldOutCrops) = CalibrationFaces.Split(cache.Count, calibrationCount, heldOutCount, seed);
        Console.WriteLine($"quantize: {info.Id} ({info.InputSize} px) on {calibrationCount} calibration and {heldOutCount} held-out crops of {cache.Count} in {cacheDirectory}");

        var clock = Stopwatch.StartNew();
        var calibrationFaces = CalibrationFaces.Load(cache, calibrationCrops, info.InputSize, seed);
        var ranges = ConsoleProgress.Run("calibrate", calibrationFaces.Length,
            progress => EmbedderQuantization.Calibrate(model, calibrationFaces, threads, progress));
        var quantized = EmbedderQuantization.Quantize(model, ranges, outputPath);
        var summary = quantized.Summary;

        var heldOutFaces = CalibrationFaces.Load(cache, heldOutCrops, info.InputSize, seed);
        var agreement = ConsoleProgress.Run("agreement", heldOutFaces.Length,
            progress => EmbedderQuantization.Agreement(modelPath, outputPath, heldOutFaces, threads, progress));

        var cardPath = EmbedderQuantization.WriteCard(modelPath, outputPath, new JsonObject
        {
            ["method"] = "static QDQ (QuantizeLinear/DequantizeLinear for ONNX Runtime's int8 kernels): Conv and MatMul weights int8 symmetric per output channel, " +
                         "Conv biases int32, activations uint8 asymmetric per tensor from the min/max over the calibration faces",
            ["source"] = Path.GetFileName(modelPath),
            ["calibration"] = new JsonObject
            {
                ["crops"] = cacheDirectory,
                ["faces"] = calibrationCount,
                ["seed"] = seed,
                ["highResolutionShare"] = CalibrationFaces.Degradation.HighResolutionShare,
                ["degradation"] = $"the student's LR augmentation, {CalibrationFaces.Degradation.MinSize}-{CalibrationFaces.Degradation.MaxSize} px, for the other faces",
            },
            ["quantizedNodes"] = new JsonObject(summary.QuantizedNodes.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["foldedRelus"] = summary.FoldedRelus,
            ["foldedInputNormalizations"] = summary.FoldedNormalizations,
            ["floatNodes"] = new JsonObject(summary.FloatNodes.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            ["agreement"] = new JsonObject
            {
                ["heldOutFaces"] = agreement.Faces,
                ["meanCosine"] = agreement.MeanCosine,
                ["minCosine"] = agreement.MinCosine,
                ["measuredOn"] = "training crops disjoint from the calibration crops, degraded the same way; cosine of int8 vs float embeddings",
            },
            ["command"] = $"facetrain quantize --model {modelPath} --crops {cacheDirectory} --calibration-faces {calibrationCount} --agreement-faces {heldOutCount} --seed {seed} --out {outputPath}",
        });

        Console.WriteLine($"quantize: int8 nodes {string.Join(", ", summary.QuantizedNodes.Select(kv => $"{kv.Key} {kv.Value}"))}; " +
                          $"{summary.FoldedRelus} ReLUs and {summary.FoldedNormalizations} input normalisation folded; float {string.Join(", ", summary.FloatNodes.Select(kv => $"{kv.Key} {kv.Value}"))}");
        Console.WriteLine($"quantize: agreement with the float model on {agreement.Faces} held-out training crops: mean cosine {agreement.MeanCosine:F5}, min {agreement.MinCosine:F5}");
        Console.WriteLine($"quantize: wrote {outputPath} ({Megabytes(outputPath):0.0} MB, float {Megabytes(modelPath):0.0} MB) + {cardPath} in {clock.Elapsed:mm\\:ss}");
        Console.WriteLine($"quantize: next, measure its thresholds for the service: facetrain eval --model {outputPath} --lfw <lfw> --write-operating-points");
        return 0;
    }

    /// <summary>The size of the file itself, through a symbolic link (models/ often links generated files).</summary>
    private static double Megabytes(string path)
    {
        var file = new FileInfo(path);
        return ((file.ResolveLinkTarget(returnFinalTarget: true) as FileInfo) ?? file).Length / 1e6;
    }
}
