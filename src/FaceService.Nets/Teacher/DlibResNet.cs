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
    public static readonly float[] MeanRgb = [122.782f, 117.001f, 104.298f];

    private readonly Sequential layers;

    private DlibResNet(Sequential layers) : base(nameof(DlibResNet))
    {
        this.layers = layers;
        RegisterComponents();
    }

    /// <summary>Builds the net from <c>face_recognition_model-weights_manifest.json</c>.</summary>
    public static DlibResNet FromWeights(TfjsWeights weights)
    {
        var layers = nn.Sequential(
            ("normalize", new InputNormalization(MeanRgb)),
            ("conv32_down", nn.Sequential(("conv", ScaledConv(weights, "conv32_down", stride: 2, padding: 0)), ("relu", nn.ReLU()))),
            ("pool", nn.MaxPool2d(3, stride: 2)),
            ("conv32_1", Residual(weights, "conv32_1")),
            ("conv32_2", Residual(weights, "conv32_2")),
            ("conv32_3", Residual(weights, "conv32_3")),
            ("conv64_down", ResidualDown(weights, "conv64_down")),
            ("conv64_1", Residual(weights, "conv64_1")),
            ("conv64_2", Residual(weights, "conv64_2")),
            ("conv64_3", Residual(weights, "conv64_3")),
            ("conv128_down", ResidualDown(weights, "conv128_down")),
            ("conv128_1", Residual(weights, "conv128_1")),
            ("conv128_2", Residual(weights, "conv128_2")),
            ("conv256_down", ResidualDown(weights, "conv256_down")),
            ("conv256_1", Residual(weights, "conv256_1")),
            ("conv256_2", Residual(weights, "conv256_2")),
            ("conv256_down_out", ResidualDown(weights, "conv256_down_out")),
            ("global_mean", nn.AdaptiveAvgPool2d(1)),
            ("flatten", nn.Flatten()),
            ("fc", TfjsLayers.Dense(weights["fc"], bias: null)));
        var net = new DlibResNet(layers);
        net.eval();
        net.SetTrainable(false);
        return net;
    }

    /// <summary>Freezes (the teacher's default) or unfreezes every parameter.</summary>
    public void SetTrainable(bool trainable)
    {
        foreach (var parameter in parameters())
            parameter.requires_grad = trainable;
    }

    public override Tensor forward(Tensor nhwc) => layers.forward(nhwc);

    public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope) => graph.Emit(layers, input, scope);

    private static DlibResidualBlock Residual(TfjsWeights weights, string name) =>
        new(nn.Sequential(
            ("conv1", ScaledConv(weights, $"{name}/conv1", stride: 1, padding: 1)),
            ("relu", nn.ReLU()),
            ("conv2", ScaledConv(weights, $"{name}/conv2", stride: 1, padding: 1))));

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
        using var _ = no_grad();
        using var scale = TfjsLayout.Vector(weights[$"{prefix}/scale/weights"]).to(ScalarType.Float64);
        using var shift = TfjsLayout.Vector(weights[$"{prefix}/scale/biases"]).to(ScalarType.Float64);
        using var weight = conv.weight!.to(ScalarType.Float64) * scale.reshape(-1, 1, 1, 1);
        using var bias = conv.bias!.to(ScalarType.Float64) * scale + shift;
        conv.weight.copy_(weight);
        conv.bias.copy_(bias);
        return conv;
    }
}
