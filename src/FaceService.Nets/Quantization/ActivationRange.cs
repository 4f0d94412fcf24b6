namespace FaceService.Nets.Quantization;

/// <summary>The smallest and largest value one activation tensor took over a calibration set.</summary>
public readonly record struct ActivationRange(float Min, float Max)
{
    /// <summary>No value seen yet: the identity of <see cref="Union"/>.</summary>
    public static ActivationRange Empty { get; } = new(float.PositiveInfinity, float.NegativeInfinity);

    public bool IsEmpty => Min > Max;

    public static ActivationRange Of(ReadOnlySpan<float> values)
    {
        var (min, max) = (float.PositiveInfinity, float.NegativeInfinity);
        foreach (var value in values)
        {
            if (value < min) min = value;
            if (value > max) max = value;
        }
        return new ActivationRange(min, max);
    }

    public ActivationRange Union(ActivationRange other) => new(Math.Min(Min, other.Min), Math.Max(Max, other.Max));

    public override string ToString() => IsEmpty ? "[]" : $"[{Min:G4}, {Max:G4}]";
}

/// <summary>
/// Per-tensor asymmetric uint8 quantisation of an activation: <c>real = Scale * (q - ZeroPoint)</c>. uint8 (not int8)
/// because ONNX Runtime's x86 QLinearConv/MatMul kernels take u8 activations with s8 weights (the VNNI
/// <c>vpdpbusd</c> form); its QDQ fusion refuses s8 activations there.
/// </summary>
public readonly record struct ActivationQuantization(float Scale, byte ZeroPoint)
{
    /// <summary>
    /// The range is widened to include 0, so that zero (ReLU's floor, zero padding) is exact; a range with a
    /// floor of 0 gets zero point 0, so that the quantiser's clamp at q = 0 is the ReLU itself.
    /// </summary>
    public static ActivationQuantization For(ActivationRange range)
    {
        if (range.IsEmpty || !float.IsFinite(range.Min) || !float.IsFinite(range.Max))
            throw new ArgumentException($"cannot quantise the activation range {range}", nameof(range));
        var min = Math.Min(range.Min, 0f);
        var max = Math.Max(range.Max, 0f);
        var scale = (max - min) / byte.MaxValue;
        if (scale == 0)
            return new ActivationQuantization(1f, 0);
        var zeroPoint = (byte)Math.Clamp(MathF.Round(-min / scale), 0f, byte.MaxValue);
        return new ActivationQuantization(scale, zeroPoint);
    }

    public byte Quantize(float value) => (byte)Math.Clamp(MathF.Round(value / Scale) + ZeroPoint, 0f, byte.MaxValue);

    public float Dequantize(byte value) => Scale * (value - ZeroPoint);
}
