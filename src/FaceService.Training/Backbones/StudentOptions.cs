using System.Text.Json.Serialization;

namespace FaceService.Training.Backbones;

public enum StudentActivation
{
    PReLU,
    ReLU,
}

/// <summary>The student's architecture block of an experiment config.</summary>
public sealed record StudentOptions
{
    /// <summary>Backbone name for <see cref="BackboneFactory"/>.</summary>
    public string Architecture { get; init; } = "mobilefacenet";

    /// <summary>Side of the square aligned input (SimilarityWarp). LR faces carry little detail, so small is cheap and enough.</summary>
    public int InputSize { get; init; } = 64;

    /// <summary>
    /// Blocks per stage. mobilefacenet: repeats of its five bottleneck stages (the paper's 5, 1, 6, 1, 2).
    /// dlibresnet: plain residual blocks kept in each of the teacher's four stages (the teacher's 3, 3, 2, 2).
    /// </summary>
    public IReadOnlyList<int> StageRepeats { get; init; } = [2, 1, 3, 1, 1];

    /// <summary>Channels of the 1x1 conv before the global depthwise conv (MobileFaceNet: 512).</summary>
    public int HeadChannels { get; init; } = 512;

    /// <summary>
    /// ReLU, which ONNX Runtime fuses into the preceding conv, or MobileFaceNet's PReLU, whose channel-broadcast
    /// PRelu op made the exported student ~12x slower on one CPU thread (13.3 ms against 1.1 ms at 64 px).
    /// </summary>
    public StudentActivation Activation { get; init; } = StudentActivation.ReLU;

    /// <summary>
    /// dlibresnet only: face-api's recognition-net manifest. The student starts from the teacher's weights, minus the
    /// blocks it drops, so it begins in the teacher's embedding space with the teacher's knowledge of faces.
    /// </summary>
    public string? TeacherWeights { get; init; }

    /// <summary>
    /// A trained student's weights (a run's <c>distill/epoch-NNN/model.dat</c>, or a model exported from the same
    /// architecture, float or int8 <c>.onnx</c>) to start from: a finished run continues under a new schedule or a new
    /// emphasis of its data, and a shipped model can be trained on after its run directory is gone. Several files start from their
    /// equal-weight mean (a weight soup of runs fine-tuned from one start). Training only; export reads the run's own
    /// checkpoint. In JSON, one path or an array of paths.
    /// </summary>
    [JsonConverter(typeof(OneOrManyStringsConverter))]
    public IReadOnlyList<string>? InitialWeights { get; init; }

    /// <summary>The teacher's embedding dimension: student outputs live in the teacher's space.</summary>
    public int EmbeddingSize { get; init; } = 128;
}
