using FaceService.Nets.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace FaceService.Nets.Layers;

/// <summary>
/// The nets' own preprocessing, kept inside the model so that callers feed plain pixels: NHWC float RGB 0..255
/// in, NCHW <c>(x - mean) / divisor</c> out: face-api's <c>normalize(x, meanRgb).div(255)</c> with the default
/// divisor, or the SSD's <c>x / 127.5 - 1</c> with mean and divisor 127.5.
/// </summary>
public sealed class InputNormalization : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Tensor mean;
    private readonly float divisor;
    // Held for the module's lifetime: a temporary Scalar could be finalized during the native division (see TensorSum).
    private readonly Scalar divisorScalar;

    public InputNormalization(IReadOnlyList<float> meanRgb, float divisor = 255f) : base(nameof(InputNormalization))
    {
        if (meanRgb.Count != 3)
            throw new ArgumentException("one mean per RGB channel is required", nameof(meanRgb));
        if (!(divisor > 0))
            throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "the divisor must be positive");
        MeanRgb = meanRgb.ToArray();
        mean = tensor(meanRgb.ToArray(), [1, 3, 1, 1]);
        this.divisor = divisor;
        divisorScalar = divisor.ToScalar();
        RegisterComponents();
    }

    public IReadOnlyList<float> MeanRgb { get; }

    public float Divisor => divisor;

    public override Tensor forward(Tensor nhwc)
    {
        using var nchw = nhwc.permute(0, 3, 1, 2);
        using var centred = nchw - mean;
        return centred.div(divisorScalar);
    }

    public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope)
    {
        var nchw = graph.AddNode("Transpose", [input], scope, [OnnxGraphBuilder.Attribute("perm", [0L, 3, 1, 2])]);
        var centred = graph.AddNode("Sub", [nchw, graph.AddInitializer($"{scope}/mean", mean)], scope);
        return graph.AddNode("Div", [centred, graph.AddInitializer($"{scope}/divisor", [divisor])], scope);
    }
}
