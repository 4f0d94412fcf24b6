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
    private readonly Dictionary<string, Partition> _partitions = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, (Partition Partition, int Row)> _rowOfFace = [];
    private readonly Dictionary<string, SubjectEntry> _subjects = new(StringComparer.Ordinal);

    // Subject ordinals index the per-search arrays; a deleted subject's ordinal is reused by the next new subject.
    private readonly List<string?> _subjectOfOrdinal = [];
    private readonly Stack<int> _freeOrdinals = new();

    public int FaceCount => _lock.Read(() => _rowOfFace.Count);

    public int SubjectCount => _lock.Read(() => _subjects.Count);

    public IReadOnlyCollection<string> ModelIds =>
        _lock.Read(() => _partitions.Values.Where(p => p.Count > 0).Select(p => p.ModelId).ToArray());

    public bool ContainsSubject(string subjectId) => _lock.Read(() => _subjects.ContainsKey(subjectId));

    public IReadOnlyCollection<string> ModelIdsOf(string subjectId) => _lock.Read(() =>
        _subjects.TryGetValue(subjectId, out var subject)
            ? subject.Faces.Select(f => _rowOfFace[f].Partition.ModelId).Distinct().ToArray()
            : (IReadOnlyCollection<string>)[]);

    public void Rebuild(IEnumerable<StoredFace> faces) => _lock.Write(() =>
    {
        _partitions.Clear();
        _rowOfFace.Clear();
        _subjects.Clear();
        _subjectOfOrdinal.Clear();
        _freeOrdinals.Clear();
        foreach (var face in faces)
            AddUnlocked(face.SubjectId, face.FaceId, face.Embedding);
    });

    public void Add(string subjectId, IReadOnlyList<NewFace> faces) => _lock.Write(() =>
    {
        foreach (var face in faces)
            AddUnlocked(subjectId, face.FaceId, face.Embedding);
    });

    public void RemoveFace(Guid faceId) => _lock.Write(() => RemoveUnlocked(faceId));

    public void RemoveSubject(string subjectId) => _lock.Write(() =>
    {
        if (_subjects.TryGetValue(subjectId, out var subject))
            foreach (var faceId in subject.Faces.ToArray())
                RemoveUnlocked(faceId);
    });

    public IReadOnlyList<SubjectMatch> Search(ModelEmbedding probe, int topK)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        _lock.EnterReadLock();
        var ordinals = _subjectOfOrdinal.Count;
        var bestSimilarity = ArrayPool<float>.Shared.Rent(Math.Max(ordinals, 1));
        var bestRow = ArrayPool<int>.Shared.Rent(Math.Max(ordinals, 1));
        try
        {
            if (!_partitions.TryGetValue(probe.ModelId, out var partition) || partition.Count == 0)
                return [];
            partition.CheckDimension(probe);

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
                .Select(item => new SubjectMatch(_subjectOfOrdinal[item.Element]!, partition.FaceIds[bestRow[item.Element]], item.Priority))
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

    public SubjectMatch? BestFaceOf(string subjectId, ModelEmbedding probe)
    {
        _lock.EnterReadLock();
        try
        {
            if (!_subjects.TryGetValue(subjectId, out var subject))
                return null;
            SubjectMatch? best = null;
            foreach (var faceId in subject.Faces)
            {
                var (partition, row) = _rowOfFace[faceId];
                if (partition.ModelId != probe.ModelId)
                    continue;
                partition.CheckDimension(probe);
                var similarity = EmbeddingMath.Dot(probe.Vector, partition.RowSpan(row));
                if (best is null || similarity > best.Similarity)
                    best = new SubjectMatch(subjectId, faceId, similarity);
            }
            return best;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    private void AddUnlocked(string subjectId, Guid faceId, ModelEmbedding embedding)
    {
        if (_rowOfFace.ContainsKey(faceId))
            throw new InvalidOperationException($"Face {faceId} is already in the index.");
        if (!_partitions.TryGetValue(embedding.ModelId, out var partition))
            _partitions[embedding.ModelId] = partition = new Partition(embedding.ModelId, embedding.Dimension);
        partition.CheckDimension(embedding);

        if (!_subjects.TryGetValue(subjectId, out var subject))
        {
            var ordinal = _freeOrdinals.Count > 0 ? _freeOrdinals.Pop() : _subjectOfOrdinal.Count;
            if (ordinal == _subjectOfOrdinal.Count)
                _subjectOfOrdinal.Add(subjectId);
            else
                _subjectOfOrdinal[ordinal] = subjectId;
            _subjects[subjectId] = subject = new SubjectEntry(ordinal);
        }

        _rowOfFace[faceId] = (partition, partition.Append(faceId, subject.Ordinal, embedding.Vector));
        subject.Faces.Add(faceId);
    }

    private void RemoveUnlocked(Guid faceId)
    {
        if (!_rowOfFace.Remove(faceId, out var location))
            return;
        var ordinal = location.Partition.SubjectOrdinals[location.Row];
        if (location.Partition.RemoveBySwappingLast(location.Row) is { } moved)
            _rowOfFace[moved] = (location.Partition, location.Row);

        var subjectId = _subjectOfOrdinal[ordinal]!;
        var subject = _subjects[subjectId];
        subject.Faces.Remove(faceId);
        if (subject.Faces.Count > 0)
            return;
        _subjects.Remove(subjectId);
        _subjectOfOrdinal[ordinal] = null;
        _freeOrdinals.Push(ordinal);
    }

    private sealed class SubjectEntry(int ordinal)
    {
        public int Ordinal { get; } = ordinal;

        public HashSet<Guid> Faces { get; } = [];
    }

    /// <summary>The embeddings of one model: rows of <see cref="Dimension"/> floats, back to back.</summary>
    private sealed class Partition(string modelId, int dimension)
    {
        private float[] _vectors = new float[dimension * 64];

        public string ModelId { get; } = modelId;

        public int Dimension { get; } = dimension;

        public int Count { get; private set; }

        public List<Guid> FaceIds { get; } = [];

        public List<int> SubjectOrdinals { get; } = [];

        public ReadOnlySpan<float> RowSpan(int row) => _vectors.AsSpan(row * Dimension, Dimension);

        public void CheckDimension(ModelEmbedding embedding)
        {
            if (embedding.Dimension != Dimension)
                throw new ArgumentException(
                    $"Model '{ModelId}' embeddings have {Dimension} values; this one has {embedding.Dimension}.", nameof(embedding));
        }

        public int Append(Guid faceId, int subjectOrdinal, float[] vector)
        {
            if ((Count + 1) * Dimension > _vectors.Length)
                Array.Resize(ref _vectors, _vectors.Length * 2);
            vector.CopyTo(_vectors, Count * Dimension);
            FaceIds.Add(faceId);
            SubjectOrdinals.Add(subjectOrdinal);
            return Count++;
        }

        /// <summary>Removes a row by moving the last row into it; returns the id of the face that moved, if any.</summary>
        public Guid? RemoveBySwappingLast(int row)
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
}
