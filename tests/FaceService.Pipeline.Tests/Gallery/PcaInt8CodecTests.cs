using FaceService.Embeddings;
using FaceService.Gallery.QuantizedScan;
using Xunit;

namespace FaceService.Pipeline.Tests.Gallery;

public sealed class PcaInt8CodecTests
{
    private const int Dimension = 128;

    /// <summary>Unit vectors around a common centre that vary only within <paramref name="axes"/> random directions.</summary>
    private static float[] RowsInSubspace(int count, int axes, Random random)
    {
        var directions = Enumerable.Range(0, axes)
            .Select(_ => EmbeddingMath.Normalized(Enumerable.Range(0, Dimension).Select(_ => random.NextSingle() - 0.5f).ToArray()))
            .ToArray();
        var rows = new float[count * Dimension];
        for (var i = 0; i < count; i++)
        {
            var row = rows.AsSpan(i * Dimension, Dimension);
            foreach (var direction in directions)
            {
                var weight = random.NextSingle() - 0.5f;
                for (var d = 0; d < Dimension; d++)
                    row[d] += weight * direction[d];
            }
            EmbeddingMath.NormalizeInPlace(row);
        }
        return rows;
    }

    [Theory]
    [InlineData(0.99999, 20)]
    [InlineData(0.9999, 20)]
    public void Keeps_as_many_axes_as_the_variance_needs(double retainedVariance, int expectedLength)
    {
        // Normalising keeps each row in the span of the 20 directions, so 20 axes hold all of the variance.
        var rows = RowsInSubspace(2000, 20, new Random(1));

        var codec = PcaInt8Codec.Fit(rows, 2000, Dimension, retainedVariance);

        Assert.Equal(expectedLength, codec.Length);
        Assert.True(PcaInt8Codec.Fit(rows, 2000, Dimension, 0.5).Length < expectedLength);
    }

    [Fact]
    public void Integer_scores_rank_rows_as_their_cosines_do()
    {
        var random = new Random(2);
        var rows = RowsInSubspace(3000, 60, random);
        var codec = PcaInt8Codec.Fit(rows, 3000, Dimension, 0.9999);
        var codes = new sbyte[3000 * codec.Length];
        for (var i = 0; i < 3000; i++)
            codec.Encode(rows.AsSpan(i * Dimension, Dimension), codes.AsSpan(i * codec.Length, codec.Length));
        var weightPairs = new int[codec.Length / 2];

        for (var trial = 0; trial < 20; trial++)
        {
            var probe = rows.AsSpan(random.Next(3000) * Dimension, Dimension).ToArray();
            codec.EncodeQuery(probe, weightPairs);
            var approximate = Enumerable.Range(0, 3000).Select(i => Enumerable.Range(0, codec.Length / 2).Sum(p =>
                codes[i * codec.Length + 2 * p] * (short)weightPairs[p] + codes[i * codec.Length + 2 * p + 1] * (short)(weightPairs[p] >> 16))).ToArray();
            var exact = Enumerable.Range(0, 3000).Select(i => EmbeddingMath.Dot(probe, rows.AsSpan(i * Dimension, Dimension))).ToArray();

            // The exact top 10 are all among the approximate top 20.
            var approximateTop = Enumerable.Range(0, 3000).OrderByDescending(i => approximate[i]).Take(20).ToHashSet();
            Assert.All(Enumerable.Range(0, 3000).OrderByDescending(i => exact[i]).Take(10), i => Assert.Contains(i, approximateTop));
        }
    }
}
