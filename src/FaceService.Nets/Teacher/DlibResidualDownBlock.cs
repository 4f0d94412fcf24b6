using FaceService.Nets.Layers;
using FaceService.Nets.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Nets.Teacher;

/// <summary>
/// dlib's downsampling residual block. Main path: <c>body</c> (3x3 stride-2 'valid' conv, ReLU, 3x3 conv).
/// Skip path: 2x2 average pool, zero channels appended up to the main path's width. On even sizes the pool
/// yields one more row/column than the valid conv, so the main path gets a zero row at the bottom and a zero
/// column at the right. Then <c>relu(main + skip)</c>.
/// </summary>
public sealed class DlibResidualDownBlock : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Sequential body;
    private readonly AvgPool2d skip;

    public DlibResidualDownBlock(Sequential body, long inChannels, long outChannels) : base(nameof(DlibResidualDownBlock))
    {
        if (outChannels < inChannels)
            throw new ArgumentException("the main path cannot be narrower than the skip path", nameof(outChannels));
        this.body = body;
        skip = nn.AvgPool2d(2, stride: 2);
        ExtraChannels = outChannels - inChannels;
        RegisterComponents();
    }

    /// <summary>Zero channels appended to the skip path.</summary>
    public long ExtraChannels { get; }

    public override Tensor forward(Tensor x)
    {
        using var main = body.forward(x);
        using var pooled = skip.forward(x);
        using var widened = nn.functional.pad(pooled, [0, 0, 0, 0, 0, ExtraChannels]);
        using var aligned = nn.functional.pad(main, [0, widened.shape[3] - main.shape[3], 0, widened.shape[2] - main.shape[2]]);
        using var sum = TensorSum.Add(aligned, widened);
        return nn.functional.relu(sum);
    }

    public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope)
    {
        var main = graph.Emit(body, input, $"{scope}/body");
        var pooled = graph.Emit(skip, input, $"{scope}/skip");
        var widened = ExtraChannels == 0
            ? pooled
            : graph.AddNode("Pad", [pooled, graph.AddInt64Initializer($"{scope}/channel_pads", 0, 0, 0, 0, 0, ExtraChannels, 0, 0)], scope);

        // The size difference depends on the input size, so it is computed in the graph: pads = [0,0,0,0, Δshape].
        var difference = graph.AddNode("Sub",
            [graph.AddNode("Shape", [widened], scope, outputRank: 1), graph.AddNode("Shape", [main], scope, outputRank: 1)], scope);
        var pads = graph.AddNode("Concat", [graph.AddInt64Initializer($"{scope}/zeros", 0, 0, 0, 0), difference], scope,
            [OnnxGraphBuilder.Attribute("axis", 0L)]);
        var aligned = graph.AddNode("Pad", [main, pads], scope);
        return graph.AddNode("Relu", [graph.AddNode("Add", [aligned, widened], scope)], scope);
    }
}
