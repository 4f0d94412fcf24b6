using System.Numerics;
using System.Runtime.InteropServices;

namespace FaceService.Embeddings;

/// <summary>
/// The product's one place for embedding arithmetic. Embeddings are compared by cosine similarity of L2-normalised
/// vectors, which for normalised vectors is their dot product. SIMD through <see cref="Vector{T}"/>
/// (System.Numerics.Tensors is not part of the shared framework).
/// </summary>
public static class EmbeddingMath
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"Vectors differ in length ({a.Length} vs {b.Length}).");
        var sum = Vector<float>.Zero;
        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
        for (var i = 0; i < va.Length; i++)
            sum += va[i] * vb[i];
        var result = Vector.Sum(sum);
        for (var i = va.Length * Vector<float>.Count; i < a.Length; i++)
            result += a[i] * b[i];
        return result;
    }

    public static float Norm(ReadOnlySpan<float> a) => MathF.Sqrt(Dot(a, a));

    /// <summary>Scales <paramref name="vector"/> to unit length in place; a zero vector is left as it is.</summary>
    public static void NormalizeInPlace(Span<float> vector)
    {
        var norm = Norm(vector);
        if (norm == 0 || !float.IsFinite(norm))
            return;
        var scale = 1 / norm;
        var v = MemoryMarshal.Cast<float, Vector<float>>(vector);
        for (var i = 0; i < v.Length; i++)
            v[i] *= scale;
        for (var i = v.Length * Vector<float>.Count; i < vector.Length; i++)
            vector[i] *= scale;
    }

    public static float[] Normalized(ReadOnlySpan<float> vector)
    {
        var copy = vector.ToArray();
        NormalizeInPlace(copy);
        return copy;
    }

    /// <summary>Cosine similarity of any two vectors (0 when either is zero).</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var norms = Norm(a) * Norm(b);
        return norms == 0 ? 0 : Dot(a, b) / norms;
    }
}
