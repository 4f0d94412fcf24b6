using static TorchSharp.torch;

namespace FaceService.Nets.Tfjs;

/// <summary>Turns TF-layout tensors into TorchSharp's layouts (NCHW convolutions, [out, in] linear weights).</summary>
public static class TfjsLayout
{
    /// <summary>Conv filter HWIO <c>[kh, kw, in, out]</c> → OIHW <c>[out, in, kh, kw]</c>.</summary>
    public static Tensor ConvFilter(TfjsTensor filter)
    {
        RequireRank(filter, 4);
        return Reordered(filter, 3, 2, 0, 1);
    }

    /// <summary>Depthwise filter <c>[kh, kw, C, 1]</c> → grouped-conv weight <c>[C, 1, kh, kw]</c>.</summary>
    public static Tensor DepthwiseFilter(TfjsTensor filter)
    {
        RequireRank(filter, 4);
        if (filter.Shape[3] != 1)
            throw new ArgumentException($"'{filter.Name}' is not a depthwise filter (channel multiplier {filter.Shape[3]})");
        return Reordered(filter, 2, 3, 0, 1);
    }

    /// <summary>Dense weight <c>[in, out]</c> → Linear weight <c>[out, in]</c>.</summary>
    public static Tensor DenseWeight(TfjsTensor weight)
    {
        RequireRank(weight, 2);
        return Reordered(weight, 1, 0);
    }

    /// <summary>A 1-D tensor (bias, per-channel scale).</summary>
    public static Tensor Vector(TfjsTensor vector)
    {
        RequireRank(vector, 1);
        return Raw(vector);
    }

    /// <summary>A contiguous copy with the axes in <paramref name="order"/>; the scope frees the intermediate views.</summary>
    private static Tensor Reordered(TfjsTensor t, params long[] order)
    {
        using var scope = NewDisposeScope();
        return Raw(t).permute(order).contiguous().MoveToOuterDisposeScope();
    }

    private static Tensor Raw(TfjsTensor t) => tensor(t.Values, t.Shape.Select(d => (long)d).ToArray());

    private static void RequireRank(TfjsTensor t, int rank)
    {
        if (t.Shape.Length != rank)
            throw new ArgumentException($"'{t.Name}' has shape [{string.Join(", ", t.Shape)}], expected rank {rank}");
    }
}
