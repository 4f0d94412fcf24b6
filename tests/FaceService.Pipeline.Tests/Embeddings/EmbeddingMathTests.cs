using FaceService.Embeddings;
using Xunit;

namespace FaceService.Pipeline.Tests.Embeddings;

public sealed class EmbeddingMathTests
{
    // 131 elements: several SIMD blocks plus a scalar tail on every vector width.
    private static float[] Sequence(int n, Func<int, float> f) => Enumerable.Range(0, n).Select(f).ToArray();

    [Fact]
    public void DotMatchesTheScalarSum()
    {
        var a = Sequence(131, i => MathF.Sin(i));
        var b = Sequence(131, i => MathF.Cos(0.3f * i));

        var expected = Enumerable.Range(0, 131).Sum(i => (double)a[i] * b[i]);

        Assert.Equal(expected, EmbeddingMath.Dot(a, b), 1e-4);
    }

    [Fact]
    public void NormalizedVectorHasUnitLengthAndKeepsDirection()
    {
        var v = Sequence(131, i => i % 7 - 3f);

        var unit = EmbeddingMath.Normalized(v);

        Assert.Equal(1.0, EmbeddingMath.Norm(unit), 1e-6);
        Assert.Equal(1.0, EmbeddingMath.Cosine(unit, v), 1e-6);
    }

    [Fact]
    public void ZeroVectorStaysZero()
    {
        var zero = new float[128];

        EmbeddingMath.NormalizeInPlace(zero);

        Assert.All(zero, x => Assert.Equal(0f, x));
        Assert.Equal(0f, EmbeddingMath.Cosine(zero, Sequence(128, i => i)));
    }

    [Fact]
    public void CosineOfOppositeAndOrthogonalVectors()
    {
        float[] x = [3, 0, 0];
        Assert.Equal(-1f, EmbeddingMath.Cosine(x, [-2, 0, 0]), 6);
        Assert.Equal(0f, EmbeddingMath.Cosine(x, [0, 5, 0]), 6);
    }

    [Fact]
    public void DifferentLengthsAreRejected() =>
        Assert.Throws<ArgumentException>(() => EmbeddingMath.Dot(new float[3], new float[4]));
}
