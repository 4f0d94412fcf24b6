using FaceService.Nets.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Nets.Teacher;

/// <summary>dlib's residual block at constant size: <c>relu(body(x) + x)</c>.</summary>
public sealed class DlibResidualBlock : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Sequential body;

    public DlibResidualBlock(Sequential body) : base(nameof(DlibResidualBlock))
    {
        this.body = body;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var main = body.forward(x);
        using var sum = main + x;
        return nn.functional.relu(sum);
    }

    public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope)
    {
        var main = graph.Emit(body, input, $"{scope}/body");
        return graph.AddNode("Relu", [graph.AddNode("Add", [main, input], scope)], scope);
    }
}
