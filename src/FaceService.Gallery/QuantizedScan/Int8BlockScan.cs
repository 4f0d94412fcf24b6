using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FaceService.Gallery.QuantizedScan;

/// <summary>Which instructions score a block: the widest the CPU has, or narrower ones (tests compare them).</summary>
internal enum ScanInstructions
{
    Scalar,
    Avx2,
    Avx512,
}

/// <summary>
/// Approximate scores of int8 codes against int16 probe weights, 16 rows at a time. Codes are stored in blocks of
/// <see cref="BlockRows"/> rows, coordinates interleaved in pairs: for each pair p, the 16 rows' (c[2p], c[2p+1])
/// bytes lie next to each other (32 bytes). One load, one sign extension to int16 and one multiply-add of adjacent
/// pairs (vpmaddwd) against the broadcast weight pair then advance all 16 rows' int32 sums by two coordinates, with no
/// horizontal sums. The scan is bound by memory bandwidth, which is why the codes are int8.
/// </summary>
internal static class Int8BlockScan
{
    public const int BlockRows = 16;

    public static ScanInstructions Widest =>
        Avx512BW.IsSupported ? ScanInstructions.Avx512 : Avx2.IsSupported ? ScanInstructions.Avx2 : ScanInstructions.Scalar;

    public static bool IsSupported(ScanInstructions instructions) => instructions switch
    {
        ScanInstructions.Scalar => true,
        ScanInstructions.Avx2 => Avx2.IsSupported,
        ScanInstructions.Avx512 => Avx512BW.IsSupported,
        _ => false,
    };

    /// <summary>Where coordinate <paramref name="k"/> of <paramref name="row"/> lives in a block-interleaved code array.</summary>
    public static int Offset(int row, int k, int codeLength) =>
        row / BlockRows * (BlockRows * codeLength) + k / 2 * (2 * BlockRows) + row % BlockRows * 2 + k % 2;

    /// <summary>
    /// Scores the rows of blocks [<paramref name="firstBlock"/>, <paramref name="endBlock"/>) below
    /// <paramref name="rowCount"/> and offers each that clears the heap's bar to it.
    /// </summary>
    public static unsafe void Scan(ReadOnlySpan<sbyte> codes, int codeLength, ReadOnlySpan<int> weightPairs,
        int firstBlock, int endBlock, int rowCount, CandidateHeap top, ScanInstructions instructions)
    {
        if (!IsSupported(instructions))
            throw new PlatformNotSupportedException($"This CPU cannot run the {instructions} scan.");
        var pairs = codeLength / 2;
        var blockBytes = BlockRows * codeLength;
        if (weightPairs.Length != pairs || (long)endBlock * blockBytes > codes.Length)
            throw new ArgumentException("The weights or the code range do not match the codes.");
        Span<int> scores = stackalloc int[BlockRows];
        fixed (sbyte* start = codes)
        fixed (int* weights = weightPairs)
        {
            for (var block = firstBlock; block < endBlock; block++)
            {
                var code = start + (long)block * blockBytes;
                var above = instructions switch
                {
                    ScanInstructions.Avx512 => ScoreAvx512(code, weights, pairs, top.Threshold, scores),
                    ScanInstructions.Avx2 => ScoreAvx2(code, weights, pairs, top.Threshold, scores),
                    _ => ScoreScalar(code, weights, pairs, top.Threshold, scores),
                };
                // Rare once the heap is full: only rows that beat the current bar are offered.
                for (; above != 0; above &= above - 1)
                {
                    var lane = BitOperations.TrailingZeroCount(above);
                    var row = block * BlockRows + lane;
                    if (row < rowCount)
                        top.Offer(row, scores[lane]);
                }
            }
        }
    }

    /// <summary>The 16 rows' scores into <paramref name="scores"/>; returns a bit per row that scores above <paramref name="threshold"/>.</summary>
    private static unsafe uint ScoreAvx512(sbyte* code, int* weights, int pairs, int threshold, Span<int> scores)
    {
        var sum = Vector512<int>.Zero;
        for (var p = 0; p < pairs; p++)
        {
            var coordinates = Avx512BW.ConvertToVector512Int16(Vector256.Load(code + p * 2 * BlockRows));
            sum += Avx512BW.MultiplyAddAdjacent(coordinates, Vector512.Create(weights[p]).AsInt16());
        }
        var above = (uint)Vector512.GreaterThan(sum, Vector512.Create(threshold)).ExtractMostSignificantBits();
        if (above != 0)
            sum.CopyTo(scores);
        return above;
    }

    private static unsafe uint ScoreAvx2(sbyte* code, int* weights, int pairs, int threshold, Span<int> scores)
    {
        // Rows 0-7 from the first 16 bytes of each pair's 32, rows 8-15 from the second.
        var low = Vector256<int>.Zero;
        var high = Vector256<int>.Zero;
        for (var p = 0; p < pairs; p++)
        {
            var weight = Vector256.Create(weights[p]).AsInt16();
            var pair = code + p * 2 * BlockRows;
            low += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.Load(pair)), weight);
            high += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.Load(pair + BlockRows)), weight);
        }
        var bar = Vector256.Create(threshold);
        var above = Vector256.GreaterThan(low, bar).ExtractMostSignificantBits() | Vector256.GreaterThan(high, bar).ExtractMostSignificantBits() << 8;
        if (above != 0)
        {
            low.CopyTo(scores);
            high.CopyTo(scores[8..]);
        }
        return above;
    }

    private static unsafe uint ScoreScalar(sbyte* code, int* weights, int pairs, int threshold, Span<int> scores)
    {
        var above = 0u;
        for (var lane = 0; lane < BlockRows; lane++)
        {
            var sum = 0;
            for (var p = 0; p < pairs; p++)
            {
                var coordinates = code + p * 2 * BlockRows + lane * 2;
                sum += coordinates[0] * (short)weights[p] + coordinates[1] * (short)(weights[p] >> 16);
            }
            scores[lane] = sum;
            if (sum > threshold)
                above |= 1u << lane;
        }
        return above;
    }
}
