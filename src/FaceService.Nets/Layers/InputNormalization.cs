using FaceService.Nets.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace FaceService.Nets.Layers;

/// <summary>
/// The nets' own preprocessing, kept inside the model so that callers feed plain pixels: NHWC float RGB 0..255
/// in, NCHW <c>(x - mean) / 255</c> out (face-api's <c>normalize(x, meanRgb).div(255)</c>).
/// </summary>
public sealed class InputNormalization : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Tensor mean;

    public InputNormalization(IReadOnlyList<float> meanRgb) : base(nameof(InputNormalization))
    {
        if (meanRgb.Count != 3)
            throw new ArgumentException("one mean per RGB channel is required", nameof(meanRgb));
        mean = tensor(meanRgb.ToArray()).reshape(1, 3, 1, 1);
        RegisterComponents();
    }

    public IReadOnlyList<float> MeanRgb => mean.data<float>().ToArray();

    public override Tensor forward(Tensor nhwc)
    {
        using var nchw = nhwc.permute(0, 3, 1, 2);
        using var centred = nchw - mean;
        return centred / 255f;
    }

    public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope)
    {
        var nchw = graph.AddNode("Transpose", [input], scope, [OnnxGraphBuilder.Attribute("perm", [0L, 3, 1, 2])]);
        var centred = graph.AddNode("Sub", [nchw, graph.AddInitializer($"{scope}/mean", mean)], scope);
        return graph.AddNode("Div", [centred, graph.AddInitializer($"{scope}/255", [255f])], scope);
    }
}
