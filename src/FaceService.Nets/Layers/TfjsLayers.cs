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
        using var weight = TfjsLayout.ConvFilter(filters);
        var conv = nn.Conv2d(weight.shape[1], weight.shape[0], weight.shape[2], stride: stride, padding: padding, bias: bias is not null);
        ParameterLoading.CopyInto(conv.weight!, () => weight);
        if (bias is not null)
            ParameterLoading.CopyInto(conv.bias!, () => TfjsLayout.Vector(bias));
        return conv;
    }

    /// <summary>
    /// face-api's separable convolution <c>{prefix}/depthwise_filter</c>, <c>pointwise_filter</c>, <c>bias</c>:
    /// a depthwise 3x3 (no bias) then a pointwise 1x1 with the bias.
    /// </summary>
    public static Sequential SeparableConv(TfjsWeights weights, string prefix, long stride, long padding)
    {
        var depthwise = DepthwiseConv(weights[$"{prefix}/depthwise_filter"], stride, padding);
        var pointwise = Conv(weights[$"{prefix}/pointwise_filter"], weights[$"{prefix}/bias"]);
        return nn.Sequential(("depthwise", depthwise), ("pointwise", pointwise));
    }

    /// <summary>A depthwise convolution (no bias) from a <c>[kh, kw, C, 1]</c> filter.</summary>
    public static Conv2d DepthwiseConv(TfjsTensor filter, long stride, long padding)
    {
        using var weight = TfjsLayout.DepthwiseFilter(filter);
        var channels = weight.shape[0];
        var depthwise = nn.Conv2d(channels, channels, weight.shape[2], stride: stride, padding: padding, groups: channels, bias: false);
        ParameterLoading.CopyInto(depthwise.weight!, () => weight);
        return depthwise;
    }

    /// <summary>An inference batch norm from TF's <c>gamma</c>, <c>beta</c>, <c>moving_mean</c>, <c>moving_variance</c>.</summary>
    public static BatchNorm2d BatchNorm(TfjsTensor gamma, TfjsTensor beta, TfjsTensor mean, TfjsTensor variance, double epsilon)
    {
        var norm = nn.BatchNorm2d(gamma.Values.Length, eps: epsilon);
        ParameterLoading.CopyInto(norm.weight!, () => TfjsLayout.Vector(gamma));
        ParameterLoading.CopyInto(norm.bias!, () => TfjsLayout.Vector(beta));
        ParameterLoading.CopyInto(norm.running_mean!, () => TfjsLayout.Vector(mean));
        ParameterLoading.CopyInto(norm.running_var!, () => TfjsLayout.Vector(variance));
        norm.eval();
        return norm;
    }

    /// <summary>A Linear layer from a dense <c>[in, out]</c> weight and an optional bias.</summary>
    public static Linear Dense(TfjsTensor weights, TfjsTensor? bias)
    {
        using var weight = TfjsLayout.DenseWeight(weights);
        var linear = nn.Linear(weight.shape[1], weight.shape[0], hasBias: bias is not null);
        ParameterLoading.CopyInto(linear.weight!, () => weight);
        if (bias is not null)
            ParameterLoading.CopyInto(linear.bias!, () => TfjsLayout.Vector(bias));
        return linear;
    }
}
