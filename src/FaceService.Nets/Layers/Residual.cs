using FaceService.Nets.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace FaceService.Nets.Layers;

/// <summary>
/// A residual connection <c>activation(body(x) + shortcut(x))</c>: the shortcut defaults to the identity and the
/// activation to none. Body, shortcut and activation may be any exportable modules.
/// </summary>
public sealed class Residual : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly nn.Module<Tensor, Tensor> body;
    private readonly nn.Module<Tensor, Tensor>? shortcut;
    private readonly nn.Module<Tensor, Tensor>? activation;

    public Residual(nn.Module<Tensor, Tensor> body, nn.Module<Tensor, Tensor>? shortcut = null, nn.Module<Tensor, Tensor>? activation = null)
        : base(nameof(Residual))
    {
        this.body = body;
        this.shortcut = shortcut;
        this.activation = activation;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var sum = TensorSum.Add(body.forward(x), shortcut is null ? x : shortcut.forward(x));
        return (activation is null ? sum : activation.forward(sum)).MoveToOuterDisposeScope();
    }

    public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope)
    {
        var main = graph.Emit(body, input, $"{scope}/body");
        var skip = shortcut is null ? input : graph.Emit(shortcut, input, $"{scope}/shortcut");
        var sum = graph.AddNode("Add", [main, skip], scope);
        return activation is null ? sum : graph.Emit(activation, sum, $"{scope}/activation");
    }
}
