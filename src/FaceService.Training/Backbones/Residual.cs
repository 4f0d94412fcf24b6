using TorchSharp;
using static TorchSharp.torch;

namespace FaceService.Training.Backbones;

/// <summary>y = x + block(x): the bottleneck's identity shortcut, as a module so that the ONNX writer sees an Add.</summary>
public sealed class Residual : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> block;

    public Residual(string name, nn.Module<Tensor, Tensor> block) : base(name)
    {
        this.block = block;
        RegisterComponents();
    }

    public nn.Module<Tensor, Tensor> Block => block;

    public override Tensor forward(Tensor input) => input + block.forward(input);
}
