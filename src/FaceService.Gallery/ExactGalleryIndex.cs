using FaceService.Embeddings;

namespace FaceService.Gallery;

/// <summary>
/// Exhaustive search: every embedding of the probe's model is scored with a SIMD dot product (vectors are
/// normalised, so that is the cosine similarity). Each model's embeddings sit in one contiguous row-major block,
/// so a search streams memory in order. Readers run in parallel; a write takes the lock alone.
/// </summary>
public sealed class ExactGalleryIndex : IGalleryIndex, IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Dictionary<string, Partition> _partitions = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, (Partition Partition, int Row)> _rowOfFace = [];
    private readonly Dictionary<string, HashSet<Guid>> _facesOfSubject = new(StringComparer.Ordinal);

    public int FaceCount => Read(() => _rowOfFace.Count);

    public int SubjectCount => Read(() => _facesOfSubject.Count);

    public IReadOnlyCollection<string> ModelIds =>
        Read(() => _partitions.Values.Where(p => p.Count > 0).Select(p => p.ModelId).ToArray());

    public bool ContainsSubject(string subjectId) => Read(() => _facesOfSubject.ContainsKey(subjectId));

    public IReadOnlyCollection<string> ModelIdsOf(string subjectId) => Read(() =>
        _facesOfSubject.TryGetValue(subjectId, out var faces)
            ? faces.Select(f => _rowOfFace[f].Partition.ModelId).Distinct().ToArray()
            : (IReadOnlyCollection<string>)[]);

    public void Rebuild(IEnumerable<StoredFace> faces)
    {
        _lock.EnterWriteLock();
        try
        {
            _partitions.Clear();
            _rowOfFace.Clear();
            _facesOfSubject.Clear();
            foreach (var face in faces)
                AddUnlocked(face.SubjectId, face.FaceId, face.Embedding);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void Add(string subjectId, IReadOnlyList<NewFace> faces)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var face in faces)
                AddUnlocked(subjectId, face.FaceId, face.Embedding);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void RemoveFace(Guid faceId)
    {
        _lock.EnterWriteLock();
        try
        {
            RemoveUnlocked(faceId);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void RemoveSubject(string subjectId)
    {
        _lock.EnterWriteLock();
        try
        {
            if (_facesOfSubject.TryGetValue(subjectId, out var faces))
                foreach (var faceId in faces.ToArray())
                    RemoveUnlocked(faceId);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public IReadOnlyList<SubjectMatch> Search(ModelEmbedding probe, int topK)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        _lock.EnterReadLock();
        try
        {
            if (!_partitions.TryGetValue(probe.ModelId, out var partition) || partition.Count == 0)
                return [];
            partition.CheckDimension(probe);

            var bestOfSubject = new Dictionary<string, (int Row, float Similarity)>(StringComparer.Ordinal);
            for (var row = 0; row < partition.Count; row++)
            {
                var similarity = EmbeddingMath.Dot(probe.Vector, partition.RowSpan(row));
                var subject = partition.SubjectIds[row];
                if (!bestOfSubject.TryGetValue(subject, out var best) || similarity > best.Similarity)
                    bestOfSubject[subject] = (row, similarity);
            }

            return bestOfSubject
                .OrderByDescending(kv => kv.Value.Similarity)
                .ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Take(topK)
                .Select(kv => new SubjectMatch(kv.Key, partition.FaceIds[kv.Value.Row], kv.Value.Similarity))
                .ToArray();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public SubjectMatch? BestFaceOf(string subjectId, ModelEmbedding probe)
    {
        _lock.EnterReadLock();
        try
        {
            if (!_facesOfSubject.TryGetValue(subjectId, out var faces))
                return null;
            SubjectMatch? best = null;
            foreach (var faceId in faces)
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

    private void AddUnlocked(string subjectId, Guid faceId, ModelEmbedding embedding)
    {
        if (_rowOfFace.ContainsKey(faceId))
            throw new InvalidOperationException($"Face {faceId} is already in the index.");
        if (!_partitions.TryGetValue(embedding.ModelId, out var partition))
            _partitions[embedding.ModelId] = partition = new Partition(embedding.ModelId, embedding.Dimension);
        partition.CheckDimension(embedding);
        var row = partition.Append(faceId, subjectId, embedding.Vector);
        _rowOfFace[faceId] = (partition, row);
        if (!_facesOfSubject.TryGetValue(subjectId, out var faces))
            _facesOfSubject[subjectId] = faces = [];
        faces.Add(faceId);
    }

    private void RemoveUnlocked(Guid faceId)
    {
        if (!_rowOfFace.Remove(faceId, out var location))
            return;
        var subjectId = location.Partition.SubjectIds[location.Row];
        if (location.Partition.RemoveBySwappingLast(location.Row) is { } moved)
            _rowOfFace[moved] = (location.Partition, location.Row);
        var faces = _facesOfSubject[subjectId];
        faces.Remove(faceId);
        if (faces.Count == 0)
            _facesOfSubject.Remove(subjectId);
    }

    public void Dispose() => _lock.Dispose();

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The embeddings of one model: rows of <see cref="Dimension"/> floats, back to back.</summary>
    private sealed class Partition(string modelId, int dimension)
    {
        private float[] _vectors = new float[dimension * 64];

        public string ModelId { get; } = modelId;

        public int Dimension { get; } = dimension;

        public int Count { get; private set; }

        public List<Guid> FaceIds { get; } = [];

        public List<string> SubjectIds { get; } = [];

        public ReadOnlySpan<float> RowSpan(int row) => _vectors.AsSpan(row * Dimension, Dimension);

        public void CheckDimension(ModelEmbedding embedding)
        {
            if (embedding.Dimension != Dimension)
                throw new ArgumentException(
                    $"Model '{ModelId}' embeddings have {Dimension} values; this one has {embedding.Dimension}.", nameof(embedding));
        }

        public int Append(Guid faceId, string subjectId, float[] vector)
        {
            if ((Count + 1) * Dimension > _vectors.Length)
                Array.Resize(ref _vectors, _vectors.Length * 2);
            vector.CopyTo(_vectors, Count * Dimension);
            FaceIds.Add(faceId);
            SubjectIds.Add(subjectId);
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
                SubjectIds[row] = SubjectIds[last];
                moved = FaceIds[row];
            }
            FaceIds.RemoveAt(last);
            SubjectIds.RemoveAt(last);
            Count = last;
            return moved;
        }
    }
}
