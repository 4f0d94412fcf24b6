using TorchSharp;
using TorchSharp.Modules;
using static FaceService.Nets.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace FaceService.Nets.Onnx;

/// <summary>
/// The ONNX form of TorchSharp's standard layers, in inference semantics (BatchNorm uses its running statistics,
/// Dropout is the identity). Layers with options ONNX cannot express fail loudly rather than export wrongly.
/// </summary>
internal static class OnnxStandardLayers
{
    public static string Emit(OnnxGraphBuilder graph, nn.Module module, string input, string scope) => module switch
    {
        Sequential sequential => EmitSequential(graph, sequential, input, scope),
        Conv2d conv => EmitConv2d(graph, conv, input, scope),
        BatchNorm2d norm => EmitBatchNorm(graph, norm, input, scope),
        Linear linear => EmitLinear(graph, linear, input, scope),
        ReLU => graph.AddNode("Relu", [input], scope),
        LeakyReLU leaky => graph.AddNode("LeakyRelu", [input], scope, [Attribute("alpha", (float)leaky.negative_slope)]),
        PReLU prelu => EmitPReLU(graph, prelu, input, scope),
        ReLU6 => graph.AddNode("Clip", [input, graph.AddInitializer($"{scope}/min", [0f]), graph.AddInitializer($"{scope}/max", [6f])], scope),
        Hardswish => graph.AddNode("HardSwish", [input], scope),
        Sigmoid => graph.AddNode("Sigmoid", [input], scope),
        Tanh => graph.AddNode("Tanh", [input], scope),
        MaxPool2d pool => EmitMaxPool(graph, pool, input, scope),
        AvgPool2d pool => EmitAvgPool(graph, pool, input, scope),
        AdaptiveAvgPool2d pool => EmitAdaptiveAvgPool(graph, pool, input, scope),
        Flatten flatten => EmitFlatten(graph, flatten, input, scope),
        PadBase pad => EmitConstantPad2d(graph, pad, input, scope),
        Identity or Dropout or Dropout2d => input,
        _ => throw new NotSupportedException(
            $"{scope}: {module.GetType().Name} has no ONNX mapping; implement {nameof(IOnnxExportable)} on it"),
    };

    private static string EmitSequential(OnnxGraphBuilder graph, Sequential sequential, string input, string scope)
    {
        var value = input;
        foreach (var (name, child) in sequential.named_children())
            value = graph.Emit(child, value, $"{scope}/{name}");
        return value;
    }

    private static string EmitConv2d(OnnxGraphBuilder graph, Conv2d conv, string input, string scope)
    {
        if (conv.transposed)
            throw new NotSupportedException($"{scope}: transposed convolution is not supported");
        if (conv.padding_mode != PaddingModes.Zeros)
            throw new NotSupportedException($"{scope}: padding mode {conv.padding_mode} is not supported (zeros only)");

        var kernel = conv.kernel_size;
        var dilation = conv.dilation;
        var pads = conv.padding_type switch
        {
            Padding.Valid => new long[] { 0, 0, 0, 0 },
            // torch's 'same' puts the odd pixel at the end; stride is 1 by torch's rule.
            Padding.Same => SamePads(kernel, dilation),
            _ => [conv.padding![0], conv.padding[1], conv.padding[0], conv.padding[1]],
        };
        var inputs = new List<string> { input, graph.AddInitializer($"{scope}/weight", conv.weight!) };
        if (conv.bias is not null)
            inputs.Add(graph.AddInitializer($"{scope}/bias", conv.bias));
        return graph.AddNode("Conv", inputs, scope,
        [
            Attribute("kernel_shape", kernel),
            Attribute("strides", conv.stride),
            Attribute("dilations", dilation),
            Attribute("pads", pads),
            Attribute("group", conv.groups),
        ]);
    }

    private static long[] SamePads(long[] kernel, long[] dilation)
    {
        var total = kernel.Zip(dilation, (k, d) => d * (k - 1)).ToArray();
        return [total[0] / 2, total[1] / 2, total[0] - total[0] / 2, total[1] - total[1] / 2];
    }

    private static string EmitBatchNorm(OnnxGraphBuilder graph, BatchNorm2d norm, string input, string scope)
    {
        if (norm.running_mean is null || norm.running_var is null)
            throw new NotSupportedException($"{scope}: BatchNorm2d without running statistics cannot be exported for inference");
        var channels = norm.num_features;
        var scale = norm.weight is null ? graph.AddInitializer($"{scope}/scale", Enumerable.Repeat(1f, (int)channels).ToArray(), channels)
                                        : graph.AddInitializer($"{scope}/scale", norm.weight);
        var shift = norm.bias is null ? graph.AddInitializer($"{scope}/shift", new float[channels], channels)
                                      : graph.AddInitializer($"{scope}/shift", norm.bias);
        return graph.AddNode("BatchNormalization",
            [input, scale, shift, graph.AddInitializer($"{scope}/mean", norm.running_mean), graph.AddInitializer($"{scope}/var", norm.running_var)],
            scope, [Attribute("epsilon", (float)norm.eps)]);
    }

    private static string EmitLinear(OnnxGraphBuilder graph, Linear linear, string input, string scope)
    {
        // MatMul with the transposed weight works for any leading dimensions, as torch's Linear does.
        using var transposed = linear.weight!.detach().t();
        var product = graph.AddNode("MatMul", [input, graph.AddInitializer($"{scope}/weight_t", transposed)], scope);
        return linear.bias is null
            ? product
            : graph.AddNode("Add", [product, graph.AddInitializer($"{scope}/bias", linear.bias)], scope);
    }

    private static string EmitPReLU(OnnxGraphBuilder graph, PReLU prelu, string input, string scope)
    {
        // torch applies one slope per channel of dim 1; ONNX broadcasts from the right, so give the slope
        // trailing unit dimensions up to the input's rank.
        var rank = graph.RankOf(input);
        var count = prelu.weight!.numel();
        var shape = count == 1 ? new long[] { 1 } : new[] { count }.Concat(Enumerable.Repeat(1L, Math.Max(rank - 2, 0))).ToArray();
        using var slope = prelu.weight.detach().reshape(shape);
        return graph.AddNode("PRelu", [input, graph.AddInitializer($"{scope}/slope", slope)], scope);
    }

    private static string EmitMaxPool(OnnxGraphBuilder graph, MaxPool2d pool, string input, string scope)
    {
        var padding = pool.padding ?? [0, 0];
        return graph.AddNode("MaxPool", [input], scope,
        [
            Attribute("kernel_shape", pool.kernel_size),
            Attribute("strides", pool.stride ?? pool.kernel_size),
            Attribute("pads", [padding[0], padding[1], padding[0], padding[1]]),
            Attribute("dilations", pool.dilation ?? [1, 1]),
            Attribute("ceil_mode", pool.ceil_mode ? 1 : 0),
        ]);
    }

    private static string EmitAvgPool(OnnxGraphBuilder graph, AvgPool2d pool, string input, string scope)
    {
        if (pool.divisor_override is not null)
            throw new NotSupportedException($"{scope}: AvgPool2d divisor_override has no ONNX equivalent");
        var padding = pool.padding ?? [0, 0];
        return graph.AddNode("AveragePool", [input], scope,
        [
            Attribute("kernel_shape", pool.kernel_size),
            Attribute("strides", pool.stride ?? pool.kernel_size),
            Attribute("pads", [padding[0], padding[1], padding[0], padding[1]]),
            Attribute("ceil_mode", pool.ceil_mode ? 1 : 0),
            Attribute("count_include_pad", pool.count_include_pad ? 1 : 0),
        ]);
    }

    private static string EmitAdaptiveAvgPool(OnnxGraphBuilder graph, AdaptiveAvgPool2d pool, string input, string scope) =>
        pool.output_size.All(s => s == 1)
            ? graph.AddNode("GlobalAveragePool", [input], scope)
            : throw new NotSupportedException($"{scope}: AdaptiveAvgPool2d is exported only with output size 1");

    private static string EmitFlatten(OnnxGraphBuilder graph, Flatten flatten, string input, string scope)
    {
        // ONNX Flatten always yields 2-D [prod(d < axis), prod(d >= axis)], which is torch's flatten(start, -1)
        // exactly when start is 1 (the batch dimension is kept).
        var rank = graph.RankOf(input);
        var end = flatten.end_dim < 0 ? flatten.end_dim + rank : flatten.end_dim;
        if (flatten.start_dim != 1 || end != rank - 1)
            throw new NotSupportedException($"{scope}: Flatten is exported only as flatten(start_dim: 1, end_dim: -1)");
        return graph.AddNode("Flatten", [input], scope, [Attribute("axis", 1L)], outputRank: 2);
    }

    private static string EmitConstantPad2d(OnnxGraphBuilder graph, PadBase pad, string input, string scope)
    {
        if (pad is not (ZeroPad2d or ConstantPad2d))
            throw new NotSupportedException($"{scope}: {pad.GetType().Name} is not supported (constant 2-D padding only)");
        // torch order (left, right, top, bottom) → ONNX (begin of every axis, then end of every axis), NCHW.
        var p = pad.padding.Length == 1 ? [pad.padding[0], pad.padding[0], pad.padding[0], pad.padding[0]] : pad.padding;
        var pads = graph.AddInt64Initializer($"{scope}/pads", 0, 0, p[2], p[0], 0, 0, p[3], p[1]);
        var value = graph.AddInitializer($"{scope}/value", [(float)pad.value]);
        return graph.AddNode("Pad", [input, pads, value], scope, [Attribute("mode", "constant")]);
    }
}
