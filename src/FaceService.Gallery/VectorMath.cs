using System.Numerics;

namespace FaceService.Gallery;

/// <summary>Dot product and L2 normalisation over float vectors, SIMD-wide.</summary>
internal static class VectorMath
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        var dot = Vector.Sum(sum);
        for (; i < a.Length; i++)
            dot += a[i] * b[i];
        return dot;
    }

    public static void NormalizeInPlace(Span<float> vector)
    {
        var norm = MathF.Sqrt(Dot(vector, vector));
        if (!(norm > 0) || !float.IsFinite(norm))
            throw new ArgumentException("An embedding with zero or non-finite length cannot be normalised.", nameof(vector));
        for (var i = 0; i < vector.Length; i++)
            vector[i] /= norm;
    }
}
