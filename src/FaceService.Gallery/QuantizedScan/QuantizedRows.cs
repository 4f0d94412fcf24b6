namespace FaceService.Gallery.QuantizedScan;

/// <summary>
/// One model's embeddings and, in step with them, their int8 PCA codes in the scan's block-interleaved layout. The
/// codec is fitted when the index is rebuilt and refitted whenever the rows have doubled since (so a gallery that
/// grows from empty re-encodes each face a bounded number of times); faces added in between are encoded with the
/// current codec.
/// </summary>
internal sealed class QuantizedRows(string modelId, int dimension, double retainedVariance) : EmbeddingRows(modelId, dimension)
{
    // A part of the scan big enough that a thread's start-up is small beside it (32k rows).
    private const int MinBlocksPerPart = 2048;

    private sbyte[] _codes = [];
    private PcaInt8Codec? _codec;
    private int _fittedCount;

    /// <summary>The codes' length (kept principal axes); 0 before the first fit.</summary>
    public int CodeLength => _codec?.Length ?? 0;

    public override int Append(Guid faceId, int subjectOrdinal, float[] vector)
    {
        var row = base.Append(faceId, subjectOrdinal, vector);
        if (_codec is not null)
        {
            EnsureCodeCapacity(row + 1);
            Span<sbyte> code = stackalloc sbyte[_codec.Length];
            _codec.Encode(vector, code);
            WriteCode(row, code);
        }
        return row;
    }

    public override Guid? RemoveBySwappingLast(int row)
    {
        var last = Count - 1;
        if (_codec is not null && row != last)
            for (var k = 0; k < _codec.Length; k++)
                _codes[Int8BlockScan.Offset(row, k, _codec.Length)] = _codes[Int8BlockScan.Offset(last, k, _codec.Length)];
        return base.RemoveBySwappingLast(row);
    }

    /// <summary>Fits the codec to the rows and re-encodes them all, on every core.</summary>
    public void Fit()
    {
        var codec = PcaInt8Codec.Fit(Vectors, Count, Dimension, retainedVariance);
        _codes = new sbyte[CodeBytes(Count, codec.Length)];
        _codec = codec;
        _fittedCount = Count;
        var blocks = (Count + Int8BlockScan.BlockRows - 1) / Int8BlockScan.BlockRows;
        Parallel.For(0, blocks, block =>
        {
            Span<sbyte> code = stackalloc sbyte[codec.Length];
            var end = Math.Min(Count, (block + 1) * Int8BlockScan.BlockRows);
            for (var row = block * Int8BlockScan.BlockRows; row < end; row++)
            {
                codec.Encode(RowSpan(row), code);
                WriteCode(row, code);
            }
        });
    }

    /// <summary>Fits again when the rows have doubled since the last fit (or were never fitted).</summary>
    public void RefitIfGrown()
    {
        if (Count > 0 && (_codec is null || Count >= 2 * _fittedCount))
            Fit();
    }

    /// <summary>
    /// The <paramref name="count"/> rows with the highest approximate similarity to the probe, in no order. The blocks
    /// are split between the cores; each part keeps its own best rows, and the parts' bests are merged.
    /// </summary>
    public int[] Candidates(ReadOnlySpan<float> probe, int count)
    {
        var codec = _codec ?? throw new InvalidOperationException("The rows have no codes yet.");
        var weights = new int[codec.Length / 2];
        codec.EncodeQuery(probe, weights);
        var blocks = (Count + Int8BlockScan.BlockRows - 1) / Int8BlockScan.BlockRows;
        var parts = Math.Clamp(blocks / MinBlocksPerPart, 1, Environment.ProcessorCount);
        var heaps = new CandidateHeap[parts];
        var instructions = Int8BlockScan.Widest;
        if (parts == 1)
            heaps[0] = ScanPart(0, blocks);
        else
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts },
                part => heaps[part] = ScanPart((int)((long)blocks * part / parts), (int)((long)blocks * (part + 1) / parts)));
        return heaps.SelectMany(h => h.Rows).OrderByDescending(r => r.Score).Take(count).Select(r => r.Row).ToArray();

        CandidateHeap ScanPart(int firstBlock, int endBlock)
        {
            var heap = new CandidateHeap(count);
            Int8BlockScan.Scan(_codes, codec.Length, weights, firstBlock, endBlock, Count, heap, instructions);
            return heap;
        }
    }

    private void WriteCode(int row, ReadOnlySpan<sbyte> code)
    {
        for (var k = 0; k < code.Length; k++)
            _codes[Int8BlockScan.Offset(row, k, code.Length)] = code[k];
    }

    private void EnsureCodeCapacity(int rows)
    {
        var needed = CodeBytes(rows, _codec!.Length);
        if (needed > _codes.Length)
            Array.Resize(ref _codes, Math.Max(needed, _codes.Length * 2));
    }

    private static int CodeBytes(int rows, int codeLength) =>
        (rows + Int8BlockScan.BlockRows - 1) / Int8BlockScan.BlockRows * Int8BlockScan.BlockRows * codeLength;
}
