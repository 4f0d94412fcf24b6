namespace FaceService.Gallery;

/// <summary>
/// The embeddings of one model: rows of <see cref="Dimension"/> floats, back to back, each with its face id and the
/// small integer of its subject. A removal moves the last row into the hole, so the block stays dense and a scan
/// streams memory in order. Subclasses keep companion data (e.g. compressed codes) in step by overriding the writes.
/// </summary>
internal class EmbeddingRows(string modelId, int dimension)
{
    private float[] _vectors = new float[dimension * 64];

    public string ModelId { get; } = modelId;

    public int Dimension { get; } = dimension;

    public int Count { get; private set; }

    public List<Guid> FaceIds { get; } = [];

    public List<int> SubjectOrdinals { get; } = [];

    public ReadOnlySpan<float> RowSpan(int row) => _vectors.AsSpan(row * Dimension, Dimension);

    /// <summary>Every row, back to back.</summary>
    public ReadOnlySpan<float> Vectors => _vectors.AsSpan(0, Count * Dimension);

    public void CheckDimension(ModelEmbedding embedding)
    {
        if (embedding.Dimension != Dimension)
            throw new ArgumentException(
                $"Model '{ModelId}' embeddings have {Dimension} values; this one has {embedding.Dimension}.", nameof(embedding));
    }

    public virtual int Append(Guid faceId, int subjectOrdinal, float[] vector)
    {
        if ((Count + 1) * Dimension > _vectors.Length)
            Array.Resize(ref _vectors, _vectors.Length * 2);
        vector.CopyTo(_vectors, Count * Dimension);
        FaceIds.Add(faceId);
        SubjectOrdinals.Add(subjectOrdinal);
        return Count++;
    }

    /// <summary>Removes a row by moving the last row into it; returns the id of the face that moved, if any.</summary>
    public virtual Guid? RemoveBySwappingLast(int row)
    {
        var last = Count - 1;
        Guid? moved = null;
        if (row != last)
        {
            Array.Copy(_vectors, last * Dimension, _vectors, row * Dimension, Dimension);
            FaceIds[row] = FaceIds[last];
            SubjectOrdinals[row] = SubjectOrdinals[last];
            moved = FaceIds[row];
        }
        FaceIds.RemoveAt(last);
        SubjectOrdinals.RemoveAt(last);
        Count = last;
        return moved;
    }
}
