namespace FaceService.Nets.Quantization;

/// <summary>A weight tensor quantised to int8 with one scale per slice along <see cref="Axis"/> (zero points all 0).</summary>
public sealed record PerChannelWeights(sbyte[] Values, float[] Scales, long[] Dims, int Axis);

/// <summary>
/// Symmetric per-channel int8 weights: each output channel gets its own scale <c>max|w| / 127</c>, so a channel of
/// small weights keeps its resolution beside a channel of large ones. The range is [-127, 127] (not -128), as ONNX
/// Runtime's own quantiser does, so that the scale is symmetric and the kernels cannot overflow on -128 * -128.
/// </summary>
public static class WeightQuantization
{
    public const int Limit = 127;

    public static PerChannelWeights Quantize(ReadOnlySpan<float> weights, long[] dims, int axis)
    {
        var (outer, channels, inner) = Split(dims, axis, weights.Length);
        var scales = new float[channels];
        for (var o = 0; o < outer; o++)
        for (var c = 0; c < channels; c++)
        for (var i = 0; i < inner; i++)
            scales[c] = Math.Max(scales[c], Math.Abs(weights[(o * channels + c) * inner + i]));
        for (var c = 0; c < channels; c++)
            // An all-zero channel quantises to zeros under any scale; 1 keeps the scale valid (ONNX needs > 0).
            scales[c] = scales[c] > 0 ? scales[c] / Limit : 1f;

        var values = new sbyte[weights.Length];
        for (var o = 0; o < outer; o++)
        for (var c = 0; c < channels; c++)
        for (var i = 0; i < inner; i++)
        {
            var index = (o * channels + c) * inner + i;
            values[index] = (sbyte)Math.Clamp(MathF.Round(weights[index] / scales[c]), -Limit, Limit);
        }
        return new PerChannelWeights(values, scales, dims, axis);
    }

    public static float[] Dequantize(PerChannelWeights weights)
    {
        var (outer, channels, inner) = Split(weights.Dims, weights.Axis, weights.Values.Length);
        var result = new float[weights.Values.Length];
        for (var o = 0; o < outer; o++)
        for (var c = 0; c < channels; c++)
        for (var i = 0; i < inner; i++)
        {
            var index = (o * channels + c) * inner + i;
            result[index] = weights.Values[index] * weights.Scales[c];
        }
        return result;
    }

    /// <summary>
    /// A convolution's bias as int32 in the accumulator's units, <c>inputScale * weightScale[c]</c>, as QLinearConv
    /// adds it to the int32 sum of products.
    /// </summary>
    public static int[] QuantizeBias(ReadOnlySpan<float> bias, float inputScale, IReadOnlyList<float> weightScales)
    {
        if (bias.Length != weightScales.Count)
            throw new ArgumentException($"{bias.Length} biases for {weightScales.Count} channels", nameof(bias));
        var result = new int[bias.Length];
        for (var c = 0; c < bias.Length; c++)
            result[c] = (int)Math.Clamp(Math.Round((double)bias[c] / ((double)inputScale * weightScales[c])), int.MinValue, int.MaxValue);
        return result;
    }

    private static (int Outer, int Channels, int Inner) Split(long[] dims, int axis, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(axis);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(axis, dims.Length);
        if (dims.Aggregate(1L, (a, d) => a * d) != length)
            throw new ArgumentException($"{length} values do not fill shape [{string.Join(", ", dims)}]");
        var outer = (int)dims[..axis].Aggregate(1L, (a, d) => a * d);
        var inner = (int)dims[(axis + 1)..].Aggregate(1L, (a, d) => a * d);
        return (outer, (int)dims[axis], inner);
    }
}
