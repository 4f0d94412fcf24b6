using FaceService.Nets.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace FaceService.Nets.Layers;

/// <summary>
/// Max pooling with TensorFlow's 'SAME' padding: the output has ceil(size / stride) cells and the padding it needs
/// goes mostly after (bottom/right), which torch's symmetric padding cannot express. Computed per input size, so
/// it works for any spatial size (the detector's input is dynamic). ONNX: MaxPool with auto_pad SAME_UPPER.
/// </summary>
public sealed class TfSameMaxPool2d : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    public TfSameMaxPool2d(long kernelSize, long stride) : base(nameof(TfSameMaxPool2d))
    {
        KernelSize = kernelSize;
        Stride = stride;
    }

    public long KernelSize { get; }
    public long Stride { get; }

    public override Tensor forward(Tensor x)
    {
        var (top, bottom) = SamePadding(x.shape[2]);
        var (left, right) = SamePadding(x.shape[3]);
        // Padded cells must never win the max.
        using var padded = nn.functional.pad(x, [left, right, top, bottom], PaddingModes.Constant, double.NegativeInfinity);
        return nn.functional.max_pool2d(padded, [KernelSize, KernelSize], [Stride, Stride]);
    }

    private (long Before, long After) SamePadding(long size)
    {
        var outSize = (size + Stride - 1) / Stride;
        var total = Math.Max((outSize - 1) * Stride + KernelSize - size, 0);
        return (total / 2, total - total / 2);
    }

    public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope) =>
        graph.AddNode("MaxPool", [input], scope,
        [
            OnnxGraphBuilder.Attribute("kernel_shape", [KernelSize, KernelSize]),
            OnnxGraphBuilder.Attribute("strides", [Stride, Stride]),
            OnnxGraphBuilder.Attribute("auto_pad", "SAME_UPPER"),
        ]);
}
