using FaceService.Nets.Tfjs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Nets.Layers;

/// <summary>Standard TorchSharp layers initialised from TF.js tensors (face-api's naming: filters, bias, depthwise/pointwise).</summary>
public static class TfjsLayers
{
    /// <summary>A convolution from an HWIO filter and an optional bias.</summary>
    public static Conv2d Conv(TfjsTensor filters, TfjsTensor? bias, long stride = 1, long padding = 0)
    {
        var weight = TfjsLayout.ConvFilter(filters);
        var conv = nn.Conv2d(weight.shape[1], weight.shape[0], weight.shape[2], stride: stride, padding: padding, bias: bias is not null);
        using var _ = no_grad();
        conv.weight!.copy_(weight);
        if (bias is not null)
            conv.bias!.copy_(TfjsLayout.Vector(bias));
        return conv;
    }

    /// <summary>
    /// face-api's separable convolution <c>{prefix}/depthwise_filter</c>, <c>pointwise_filter</c>, <c>bias</c>:
    /// a depthwise 3x3 (no bias) then a pointwise 1x1 with the bias.
    /// </summary>
    public static Sequential SeparableConv(TfjsWeights weights, string prefix, long stride, long padding)
    {
        var depthwiseWeight = TfjsLayout.DepthwiseFilter(weights[$"{prefix}/depthwise_filter"]);
        var channels = depthwiseWeight.shape[0];
        var depthwise = nn.Conv2d(channels, channels, depthwiseWeight.shape[2], stride: stride, padding: padding, groups: channels, bias: false);
        using (no_grad())
            depthwise.weight!.copy_(depthwiseWeight);
        var pointwise = Conv(weights[$"{prefix}/pointwise_filter"], weights[$"{prefix}/bias"]);
        return nn.Sequential(("depthwise", depthwise), ("pointwise", pointwise));
    }

    /// <summary>A Linear layer from a dense <c>[in, out]</c> weight and an optional bias.</summary>
    public static Linear Dense(TfjsTensor weights, TfjsTensor? bias)
    {
        var weight = TfjsLayout.DenseWeight(weights);
        var linear = nn.Linear(weight.shape[1], weight.shape[0], hasBias: bias is not null);
        using var _ = no_grad();
        linear.weight!.copy_(weight);
        if (bias is not null)
            linear.bias!.copy_(TfjsLayout.Vector(bias));
        return linear;
    }
}
