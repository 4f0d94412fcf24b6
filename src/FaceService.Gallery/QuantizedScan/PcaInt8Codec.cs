using System.Numerics;
using System.Runtime.InteropServices;
using FaceService.Embeddings;

namespace FaceService.Gallery.QuantizedScan;

/// <summary>
/// The compression of one model's embeddings for the candidate scan: rotate onto the principal axes of the gallery
/// (PCA), keep the leading axes that hold the requested share of its variance, and store each kept coordinate as an
/// int8 with a per-axis scale (±127 spans ±<see cref="ClampDeviations"/> standard deviations of that axis; the rare
/// coordinate beyond is clamped). A probe is rotated the same way and folded with the scales into int16 weights, so an
/// approximate similarity is one integer dot product. The probe is not centred: centring would shift every row's
/// score by the same amount (probe · mean) and cannot change their order.
/// </summary>
internal sealed class PcaInt8Codec
{
    /// <summary>The covariance is estimated from at most this many rows, evenly spaced: plenty for 128 dimensions.</summary>
    public const int MaxFitRows = 65_536;

    public const float ClampDeviations = 5;

    // Axis k's weights, already divided (encode) or multiplied (query) by its code scale, Length rows of Dimension.
    private readonly float[] _encodeAxes;
    private readonly float[] _queryAxes;
    private readonly float[] _encodeOffsets;

    private PcaInt8Codec(int dimension, int length, float[] encodeAxes, float[] queryAxes, float[] encodeOffsets)
    {
        Dimension = dimension;
        Length = length;
        _encodeAxes = encodeAxes;
        _queryAxes = queryAxes;
        _encodeOffsets = encodeOffsets;
    }

    /// <summary>The embeddings' dimension.</summary>
    public int Dimension { get; }

    /// <summary>Kept axes, rounded up to an even number (the scan multiplies pairs of coordinates); a code's length in bytes.</summary>
    public int Length { get; }

    /// <summary>Fits the axes and scales to <paramref name="count"/> rows of <paramref name="dimension"/> floats.</summary>
    public static PcaInt8Codec Fit(ReadOnlySpan<float> rows, int count, int dimension, double retainedVariance)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var step = Math.Max(1, count / MaxFitRows);
        var sampled = (count + step - 1) / step;

        var mean = new double[dimension];
        for (var i = 0; i < count; i += step)
            for (var d = 0; d < dimension; d++)
                mean[d] += rows[i * dimension + d];
        for (var d = 0; d < dimension; d++)
            mean[d] /= sampled;

        // Row a of the scatter += c[a] * c, a vector at a time.
        var scatter = new double[dimension * dimension];
        var centred = new double[dimension];
        for (var i = 0; i < count; i += step)
        {
            for (var d = 0; d < dimension; d++)
                centred[d] = rows[i * dimension + d] - mean[d];
            for (var a = 0; a < dimension; a++)
                AddScaled(scatter.AsSpan(a * dimension, dimension), centred, centred[a]);
        }
        var covariance = new double[dimension, dimension];
        for (var a = 0; a < dimension; a++)
            for (var b = 0; b < dimension; b++)
                covariance[a, b] = scatter[a * dimension + b] / sampled;

        var (values, vectors) = SymmetricEigen.Decompose(covariance);
        var total = values.Sum(v => Math.Max(v, 0));
        var kept = 1;
        for (var held = Math.Max(values[0], 0); kept < dimension && held < retainedVariance * total; kept++)
            held += Math.Max(values[kept], 0);
        var length = kept + (kept & 1);

        var encodeAxes = new float[length * dimension];
        var queryAxes = new float[length * dimension];
        var encodeOffsets = new float[length];
        for (var k = 0; k < kept; k++)
        {
            var deviation = Math.Sqrt(Math.Max(values[k], 0));
            var scale = deviation > 0 ? ClampDeviations * deviation / sbyte.MaxValue : 1;
            for (var d = 0; d < dimension; d++)
            {
                encodeAxes[k * dimension + d] = (float)(vectors[k][d] / scale);
                queryAxes[k * dimension + d] = (float)(vectors[k][d] * scale);
                encodeOffsets[k] += (float)(mean[d] * vectors[k][d] / scale);
            }
        }
        return new PcaInt8Codec(dimension, length, encodeAxes, queryAxes, encodeOffsets);
    }

    /// <summary>The int8 code of one embedding: its centred coordinates on the kept axes, scaled and clamped.</summary>
    public void Encode(ReadOnlySpan<float> vector, Span<sbyte> code)
    {
        for (var k = 0; k < Length; k++)
        {
            var coordinate = EmbeddingMath.Dot(vector, _encodeAxes.AsSpan(k * Dimension, Dimension)) - _encodeOffsets[k];
            code[k] = (sbyte)Math.Clamp(MathF.Round(coordinate), -sbyte.MaxValue, sbyte.MaxValue);
        }
    }

    /// <summary>
    /// The probe's int16 weights, two to an int (axis 2p in the low half, 2p + 1 in the high half) as the scan's
    /// multiply-add of adjacent pairs reads them. Scaled so the largest weight is ±32767: a sum of up to 128 products
    /// with int8 codes stays far inside int32, and the rounding is far below the scan's own error.
    /// </summary>
    public void EncodeQuery(ReadOnlySpan<float> probe, Span<int> weightPairs)
    {
        Span<float> weights = stackalloc float[Length];
        for (var k = 0; k < Length; k++)
            weights[k] = EmbeddingMath.Dot(probe, _queryAxes.AsSpan(k * Dimension, Dimension));
        var largest = 0f;
        foreach (var w in weights)
            largest = MathF.Max(largest, MathF.Abs(w));
        var factor = largest > 0 ? short.MaxValue / largest : 0;
        for (var p = 0; p < Length / 2; p++)
        {
            var low = (short)MathF.Round(weights[2 * p] * factor);
            var high = (short)MathF.Round(weights[2 * p + 1] * factor);
            weightPairs[p] = (ushort)low | (high << 16);
        }
    }

    private static void AddScaled(Span<double> target, ReadOnlySpan<double> source, double factor)
    {
        var t = MemoryMarshal.Cast<double, Vector<double>>(target);
        var s = MemoryMarshal.Cast<double, Vector<double>>(source);
        for (var i = 0; i < t.Length; i++)
            t[i] += s[i] * factor;
        for (var i = t.Length * Vector<double>.Count; i < target.Length; i++)
            target[i] += source[i] * factor;
    }
}
