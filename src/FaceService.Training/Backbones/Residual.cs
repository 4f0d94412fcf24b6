using FaceService.Nets.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace FaceService.Training.Backbones;

/// <summary>y = x + block(x): the bottleneck's identity shortcut.</summary>
public sealed class Residual : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly nn.Module<Tensor, Tensor> block;

    public Residual(nn.Module<Tensor, Tensor> block) : base(nameof(Residual))
    {
        this.block = block;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => input + block.forward(input);

    public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope)
    {
        var body = graph.Emit(block, input, $"{scope}/block");
        return graph.AddNode("Add", [input, body], scope);
    }
}
