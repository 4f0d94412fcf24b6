using FaceService.Nets.Layers;
using FaceService.Nets.Onnx;
using FaceService.Nets.Tfjs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Nets.Teacher;

/// <summary>
/// face-api's FaceRecognitionNet, a port of dlib's ResNet-29 face descriptor: NHWC RGB 0..255 150x150 in,
/// 128-D descriptor out (not L2-normalised). Built frozen and in eval mode, as the distillation teacher;
/// <see cref="SetTrainable"/> unfreezes it for fine-tuning.
/// </summary>
public sealed class DlibResNet : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    public const int InputSize = 150;
    public const int DescriptorSize = 128;
    public static IReadOnlyList<float> MeanRgb { get; } = [122.782f, 117.001f, 104.298f];

    private readonly Sequential layers;

    private DlibResNet(Sequential layers) : base(nameof(DlibResNet))
    {
        this.layers = layers;
        RegisterComponents();
    }

    /// <summary>Plain residual blocks per stage (32, 64, 128, 256 channels), after each stage's downsampling block.</summary>
    public static IReadOnlyList<int> TeacherStageBlocks { get; } = [3, 3, 2, 2];

    /// <summary>Builds the teacher from <c>face_recognition_model-weights_manifest.json</c>.</summary>
    public static DlibResNet FromWeights(TfjsWeights weights) => FromWeights(weights, TeacherStageBlocks);

    /// <summary>
    /// Builds the net from <c>face_recognition_model-weights_manifest.json</c>. <paramref name="stageBlocks"/> keeps
    /// the first N plain residual blocks of each stage: dropping blocks of a residual
    /// net leaves a working, cheaper net whose every weight is still the teacher's, which a student can start from.
    /// </summary>
    public static DlibResNet FromWeights(TfjsWeights weights, IReadOnlyList<int> stageBlocks)
    {
        if (stageBlocks.Count != TeacherStageBlocks.Count || stageBlocks.Where((n, s) => n < 0 || n > TeacherStageBlocks[s]).Any())
            throw new ArgumentException(
                $"stage blocks [{string.Join(", ", stageBlocks)}]: need {TeacherStageBlocks.Count} counts, each from 0 up to the teacher's [{string.Join(", ", TeacherStageBlocks)}].",
                nameof(stageBlocks));

        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("normalize", new InputNormalization(MeanRgb)),
            ("conv32_down", nn.Sequential(("conv", ScaledConv(weights, "conv32_down", stride: 2, padding: 0)), ("relu", nn.ReLU()))),
            ("pool", nn.MaxPool2d(3, stride: 2)),
        };
        int[] widths = [32, 64, 128, 256];
        for (var stage = 0; stage < widths.Length; stage++)
        {
            // The 32-channel stage works at the stem's width: it has no downsampling block of its own.
            if (stage > 0)
                layers.Add(($"conv{widths[stage]}_down", ResidualDown(weights, $"conv{widths[stage]}_down")));
            for (var block = 1; block <= stageBlocks[stage]; block++)
                layers.Add(($"conv{widths[stage]}_{block}", Residual(weights, $"conv{widths[stage]}_{block}")));
        }

        layers.Add(("conv256_down_out", ResidualDown(weights, "conv256_down_out")));
        layers.Add(("global_mean", nn.AdaptiveAvgPool2d(1)));
        layers.Add(("flatten", nn.Flatten()));
        layers.Add(("fc", TfjsLayers.Dense(weights["fc"], bias: null)));
        var net = new DlibResNet(nn.Sequential(layers));
        net.eval();
        net.SetTrainable(false);
        return net;
    }

    /// <summary>
    /// The smallest square input. A downsampling block halves its map (rounding down) and needs 3x3 for its 'valid'
    /// convolution, so the last one needs 3x3: 103 → 49 → 24 → 12 → 6 → 3 → 1 (the teacher: 150 → 72 → 35 → 17 → 8 → 4 → 2).
    /// </summary>
    public const int MinimumInputSize = 103;

    /// <summary>Freezes (the teacher's default) or unfreezes every parameter.</summary>
    public void SetTrainable(bool trainable)
    {
        foreach (var parameter in parameters())
            parameter.requires_grad = trainable;
    }

    public override Tensor forward(Tensor nhwc) => layers.forward(nhwc);

    public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope) => graph.Emit(layers, input, scope);

    /// <summary>dlib's residual block at constant size: <c>relu(body(x) + x)</c>.</summary>
    private static Residual Residual(TfjsWeights weights, string name) =>
        new(nn.Sequential(
                ("conv1", ScaledConv(weights, $"{name}/conv1", stride: 1, padding: 1)),
                ("relu", nn.ReLU()),
                ("conv2", ScaledConv(weights, $"{name}/conv2", stride: 1, padding: 1))),
            activation: nn.ReLU());

    private static DlibResidualDownBlock ResidualDown(TfjsWeights weights, string name)
    {
        var body = nn.Sequential(
            ("conv1", ScaledConv(weights, $"{name}/conv1", stride: 2, padding: 0)),
            ("relu", nn.ReLU()),
            ("conv2", ScaledConv(weights, $"{name}/conv2", stride: 1, padding: 1)));
        var filters = weights[$"{name}/conv1/conv/filters"].Shape;
        return new DlibResidualDownBlock(body, inChannels: filters[2], outChannels: filters[3]);
    }

    /// <summary>
    /// dlib's convolution: conv + bias, then the folded batch norm <c>* scale/weights + scale/biases</c>. The affine is
    /// folded once more, into the convolution itself, so the layer stays a plain Conv2d (trainable and exportable).
    /// </summary>
    private static Conv2d ScaledConv(TfjsWeights weights, string prefix, long stride, long padding)
    {
        var conv = TfjsLayers.Conv(weights[$"{prefix}/conv/filters"], weights[$"{prefix}/conv/bias"], stride, padding);
        var scale = weights[$"{prefix}/scale/weights"];
        var shift = weights[$"{prefix}/scale/biases"];
        ParameterLoading.CopyInto(conv.weight!, () =>
            conv.weight!.to(ScalarType.Float64) * TfjsLayout.Vector(scale).to(ScalarType.Float64).reshape(-1, 1, 1, 1));
        ParameterLoading.CopyInto(conv.bias!, () =>
            TensorSum.Add(conv.bias!.to(ScalarType.Float64) * TfjsLayout.Vector(scale).to(ScalarType.Float64), TfjsLayout.Vector(shift).to(ScalarType.Float64)));
        return conv;
    }
}
