using System.Buffers;
using FaceService.Embeddings;

namespace FaceService.Gallery;

/// <summary>
/// Exhaustive search: every embedding of the probe's model is scored with a SIMD dot product (vectors are
/// normalised, so that is the cosine similarity). Each model's embeddings sit in one contiguous row-major block and
/// each row carries a small integer for its subject, so a search streams memory in order and keeps the best face per
/// subject in flat arrays. Readers run in parallel; a write takes the lock alone.
/// </summary>
public sealed class ExactGalleryIndex : IGalleryIndex, IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly GalleryRows<EmbeddingRows> _rows = new((modelId, dimension) => new EmbeddingRows(modelId, dimension));

    public int FaceCount => _lock.Read(() => _rows.FaceCount);

    public int SubjectCount => _lock.Read(() => _rows.SubjectCount);

    public IReadOnlyCollection<string> ModelIds => _lock.Read(() => _rows.ModelIds);

    public bool ContainsSubject(string subjectId) => _lock.Read(() => _rows.ContainsSubject(subjectId));

    public IReadOnlyCollection<string> ModelIdsOf(string subjectId) => _lock.Read(() => _rows.ModelIdsOf(subjectId));

    public void Rebuild(IEnumerable<StoredFace> faces) => _lock.Write(() =>
    {
        _rows.Clear();
        foreach (var face in faces)
            _rows.Add(face.SubjectId, face.FaceId, face.Embedding);
    });

    public void Add(string subjectId, IReadOnlyList<NewFace> faces) => _lock.Write(() =>
    {
        foreach (var face in faces)
            _rows.Add(subjectId, face.FaceId, face.Embedding);
    });

    public void RemoveFace(Guid faceId) => _lock.Write(() => _rows.Remove(faceId));

    public void RemoveSubject(string subjectId) => _lock.Write(() => _rows.RemoveSubject(subjectId));

    public IReadOnlyList<SubjectMatch> Search(ModelEmbedding probe, int topK)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        _lock.EnterReadLock();
        var ordinals = _rows.OrdinalCount;
        var bestSimilarity = ArrayPool<float>.Shared.Rent(Math.Max(ordinals, 1));
        var bestRow = ArrayPool<int>.Shared.Rent(Math.Max(ordinals, 1));
        try
        {
            if (_rows.RowsFor(probe) is not { } partition)
                return [];

            Array.Fill(bestRow, -1, 0, ordinals);
            var seen = new List<int>();
            for (var row = 0; row < partition.Count; row++)
            {
                var similarity = EmbeddingMath.Dot(probe.Vector, partition.RowSpan(row));
                var ordinal = partition.SubjectOrdinals[row];
                if (bestRow[ordinal] < 0)
                    seen.Add(ordinal);
                else if (similarity <= bestSimilarity[ordinal])
                    continue;
                bestRow[ordinal] = row;
                bestSimilarity[ordinal] = similarity;
            }

            // The k best subjects: a min-heap of at most k, so the cost grows with the subjects, not their sort.
            var top = new PriorityQueue<int, float>(topK + 1);
            foreach (var ordinal in seen)
            {
                if (top.Count < topK)
                    top.Enqueue(ordinal, bestSimilarity[ordinal]);
                else if (top.TryPeek(out _, out var worst) && bestSimilarity[ordinal] > worst)
                    top.DequeueEnqueue(ordinal, bestSimilarity[ordinal]);
            }

            return top.UnorderedItems
                .Select(item => new SubjectMatch(_rows.SubjectOf(item.Element), partition.FaceIds[bestRow[item.Element]], item.Priority))
                .OrderByDescending(m => m.Similarity)
                .ThenBy(m => m.SubjectId, StringComparer.Ordinal)
                .ToArray();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(bestSimilarity);
            ArrayPool<int>.Shared.Return(bestRow);
            _lock.ExitReadLock();
        }
    }

    public SubjectMatch? BestFaceOf(string subjectId, ModelEmbedding probe) => _lock.Read(() => _rows.BestFaceOf(subjectId, probe));

    public void Dispose() => _lock.Dispose();
}
