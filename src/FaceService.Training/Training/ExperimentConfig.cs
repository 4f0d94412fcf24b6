using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FaceService.Training.Backbones;
using FaceService.Training.Data;
using FaceService.Training.Losses;

namespace FaceService.Training.Training;

public enum TrainingScheme
{
    /// <summary>The paper's: the teacher never trains; the student learns from cached HR targets (+ MK-MMD).</summary>
    Improved,

    /// <summary>The baseline: fine-tune the teacher on LR first, then distil the student from it, teacher in the loop.</summary>
    Usual,
}

public enum OptimizerKind
{
    Sgd,
    AdamW,
}

/// <summary>How one phase optimises: epochs, batch, optimiser, and a warmup + cosine learning-rate schedule.</summary>
public sealed record OptimizationOptions
{
    public int Epochs { get; init; } = 10;

    public int BatchSize { get; init; } = 128;

    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>Peak learning rate, reached after the warmup and then decayed to 0 along a cosine.</summary>
    public double LearningRate { get; init; } = 0.05;

    public int WarmupSteps { get; init; } = 100;

    public double Momentum { get; init; } = 0.9;

    public double WeightDecay { get; init; } = 5e-4;
}

/// <summary>The usual scheme's first phase: the teacher, unfrozen, trained on LR faces.</summary>
public sealed record TeacherFineTuningOptions
{
    /// <summary>face-api's recognition-net manifest, from which the TorchSharp teacher is built.</summary>
    public string Weights { get; init; } = "models/.cache/face-api-1.7.15/package/model/face_recognition_model-weights_manifest.json";

    /// <summary>Against its own cached HR targets (distillation) and/or an identity loss; MK-MMD off by default.</summary>
    public LossOptions Loss { get; init; } = new() { MmdWeight = 0 };

    public OptimizationOptions Optimization { get; init; } = new() { Epochs = 1, BatchSize = 32, LearningRate = 1e-3, WarmupSteps = 20 };
}

/// <summary>
/// One experiment, fully described (insightface's configs/ style): data, student, augmentation, losses,
/// optimisation, seed and threads. <c>facetrain train --config configs/NAME.json</c>. A config may start from another
/// with <c>"extends": "OTHER.json"</c> (relative to its own folder) and give only what differs: objects merge key by
/// key, anything else replaces. A run stores the resolved config.
/// </summary>
public sealed record ExperimentConfig
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        // A misspelt key would silently train the default: refuse it.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    public required string Name { get; init; }

    public TrainingScheme Scheme { get; init; } = TrainingScheme.Improved;

    /// <summary>Crop cache made by prepare and targets.</summary>
    public string Cache { get; init; } = "artifacts/train-cache";

    /// <summary>Runs go to Output/Name: checkpoints, steps.csv, summary.json.</summary>
    public string Output { get; init; } = "artifacts/runs";

    /// <summary>Train on the first N cached crops; 0 = all. Sizes a short run.</summary>
    public int Samples { get; init; }

    public StudentOptions Student { get; init; } = new();

    public LowResolutionAugmentationOptions Augmentation { get; init; } = new();

    public LossOptions Loss { get; init; } = new();

    public OptimizationOptions Optimization { get; init; } = new();

    /// <summary>Used by the usual scheme only.</summary>
    public TeacherFineTuningOptions TeacherFineTuning { get; init; } = new();

    public int Seed { get; init; } = 42;

    /// <summary>Torch intra-op threads and parallel augmentation workers.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    public string RunDirectory => Path.Combine(Output, Name);

    private const string ExtendsKey = "extends";

    public static ExperimentConfig Load(string path)
    {
        try
        {
            return Resolve(path, []).Deserialize<ExperimentConfig>(Json) ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>The config's JSON with its <c>extends</c> chain merged in, base first.</summary>
    private static JsonObject Resolve(string path, List<string> chain)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new FileNotFoundException($"Experiment config {fullPath} does not exist.", path);
        if (chain.Contains(fullPath))
            throw new InvalidDataException($"Config {path} extends itself: {string.Join(" -> ", chain.Append(fullPath))}.");
        chain.Add(fullPath);

        // Read with the config's own options (comments, trailing commas, key case), so merging sees keys as loading does.
        var node = JsonSerializer.Deserialize<JsonNode>(File.ReadAllText(fullPath), Json) as JsonObject
                   ?? throw new InvalidDataException($"{path} is not a JSON object.");
        if (!node.Remove(ExtendsKey, out var extends))
            return node;
        if (extends?.GetValueKind() != JsonValueKind.String)
            throw new InvalidDataException($"{path}: \"{ExtendsKey}\" must be a config file name.");
        var basePath = Path.Combine(Path.GetDirectoryName(fullPath)!, extends.GetValue<string>());
        var merged = Resolve(basePath, chain);
        MergeInto(merged, node);
        return merged;
    }

    private static void MergeInto(JsonObject target, JsonObject overrides)
    {
        foreach (var (key, value) in overrides.ToList())
        {
            overrides.Remove(key);
            if (value is JsonObject child && target[key] is JsonObject existing)
                MergeInto(existing, child);
            else
                target[key] = value;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
