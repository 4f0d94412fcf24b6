using FaceService.Gallery.QuantizedScan;
using Xunit;

namespace FaceService.Pipeline.Tests.Gallery;

/// <summary>The scan kernel's instruction sets against a plain sum over the block-interleaved codes.</summary>
public sealed class Int8BlockScanTests
{
    [SkippableTheory]
    [InlineData(nameof(ScanInstructions.Scalar))]
    [InlineData(nameof(ScanInstructions.Avx2))]
    [InlineData(nameof(ScanInstructions.Avx512))]
    public void Keeps_the_rows_with_the_highest_integer_dot_products(string instructionSet)
    {
        var instructions = Enum.Parse<ScanInstructions>(instructionSet);
        Skip.IfNot(Int8BlockScan.IsSupported(instructions), $"this CPU has no {instructions}");
        const int codeLength = 78;
        const int rowCount = 1000; // not a whole number of blocks: the last block's padding must never be offered
        var random = new Random(3);
        var blocks = (rowCount + Int8BlockScan.BlockRows - 1) / Int8BlockScan.BlockRows;
        var codes = new sbyte[blocks * Int8BlockScan.BlockRows * codeLength];
        var rows = new sbyte[rowCount, codeLength];
        for (var row = 0; row < blocks * Int8BlockScan.BlockRows; row++)
            for (var k = 0; k < codeLength; k++)
            {
                // Padding rows hold the largest codes, so a scan that offered them would keep them.
                var value = row < rowCount ? (sbyte)random.Next(-127, 128) : sbyte.MaxValue;
                codes[Int8BlockScan.Offset(row, k, codeLength)] = value;
                if (row < rowCount)
                    rows[row, k] = value;
            }
        var weights = Enumerable.Range(0, codeLength).Select(_ => (short)random.Next(short.MinValue + 1, short.MaxValue)).ToArray();
        weights[0] = weights[1] = short.MaxValue;
        var weightPairs = Enumerable.Range(0, codeLength / 2).Select(p => (ushort)weights[2 * p] | (weights[2 * p + 1] << 16)).ToArray();
        var expected = Enumerable.Range(0, rowCount)
            .Select(row => (Row: row, Score: Enumerable.Range(0, codeLength).Sum(k => rows[row, k] * weights[k])))
            .OrderByDescending(r => r.Score).Take(20).ToHashSet();

        var top = new CandidateHeap(20);
        Int8BlockScan.Scan(codes, codeLength, weightPairs, 0, blocks, rowCount, top, instructions);

        Assert.Equal(expected, top.Rows.ToHashSet());
    }
}
