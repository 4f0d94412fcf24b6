using FaceService.Embeddings;

namespace FaceService.Gallery;

/// <summary>
/// What the in-memory indexes share: every face as a row of its model's <typeparamref name="TRows"/>, the subjects
/// and their faces, and exact scoring of one subject's faces. Subject ordinals index per-search arrays; a deleted
/// subject's ordinal is reused by the next new subject. Not thread-safe: the index that owns it locks around it.
/// </summary>
internal sealed class GalleryRows<TRows>(Func<string, int, TRows> createRows) where TRows : EmbeddingRows
{
    private readonly Dictionary<string, TRows> _partitions = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, (TRows Rows, int Row)> _rowOfFace = [];
    private readonly Dictionary<string, SubjectEntry> _subjects = new(StringComparer.Ordinal);
    private readonly List<string?> _subjectOfOrdinal = [];
    private readonly Stack<int> _freeOrdinals = new();

    public int FaceCount => _rowOfFace.Count;

    public int SubjectCount => _subjects.Count;

    /// <summary>How many subject ordinals are in use or free: the length per-subject search arrays need.</summary>
    public int OrdinalCount => _subjectOfOrdinal.Count;

    public IEnumerable<TRows> Partitions => _partitions.Values;

    public IReadOnlyCollection<string> ModelIds => _partitions.Values.Where(p => p.Count > 0).Select(p => p.ModelId).ToArray();

    public string SubjectOf(int ordinal) => _subjectOfOrdinal[ordinal]!;

    public bool ContainsSubject(string subjectId) => _subjects.ContainsKey(subjectId);

    public IReadOnlyCollection<string> ModelIdsOf(string subjectId) =>
        _subjects.TryGetValue(subjectId, out var subject)
            ? subject.Faces.Select(f => _rowOfFace[f].Rows.ModelId).Distinct().ToArray()
            : [];

    /// <summary>The rows of the probe's model, checked against the probe's dimension; null when the model has no face.</summary>
    public TRows? RowsFor(ModelEmbedding probe)
    {
        if (!_partitions.TryGetValue(probe.ModelId, out var rows) || rows.Count == 0)
            return null;
        rows.CheckDimension(probe);
        return rows;
    }

    public void Clear()
    {
        _partitions.Clear();
        _rowOfFace.Clear();
        _subjects.Clear();
        _subjectOfOrdinal.Clear();
        _freeOrdinals.Clear();
    }

    /// <summary>Adds one face; returns the rows it went into.</summary>
    public TRows Add(string subjectId, Guid faceId, ModelEmbedding embedding)
    {
        if (_rowOfFace.ContainsKey(faceId))
            throw new InvalidOperationException($"Face {faceId} is already in the index.");
        if (!_partitions.TryGetValue(embedding.ModelId, out var rows))
            _partitions[embedding.ModelId] = rows = createRows(embedding.ModelId, embedding.Dimension);
        rows.CheckDimension(embedding);

        if (!_subjects.TryGetValue(subjectId, out var subject))
        {
            var ordinal = _freeOrdinals.Count > 0 ? _freeOrdinals.Pop() : _subjectOfOrdinal.Count;
            if (ordinal == _subjectOfOrdinal.Count)
                _subjectOfOrdinal.Add(subjectId);
            else
                _subjectOfOrdinal[ordinal] = subjectId;
            _subjects[subjectId] = subject = new SubjectEntry(ordinal);
        }

        _rowOfFace[faceId] = (rows, rows.Append(faceId, subject.Ordinal, embedding.Vector));
        subject.Faces.Add(faceId);
        return rows;
    }

    public void Remove(Guid faceId)
    {
        if (!_rowOfFace.Remove(faceId, out var location))
            return;
        var ordinal = location.Rows.SubjectOrdinals[location.Row];
        if (location.Rows.RemoveBySwappingLast(location.Row) is { } moved)
            _rowOfFace[moved] = (location.Rows, location.Row);

        var subjectId = _subjectOfOrdinal[ordinal]!;
        var subject = _subjects[subjectId];
        subject.Faces.Remove(faceId);
        if (subject.Faces.Count > 0)
            return;
        _subjects.Remove(subjectId);
        _subjectOfOrdinal[ordinal] = null;
        _freeOrdinals.Push(ordinal);
    }

    public void RemoveSubject(string subjectId)
    {
        if (_subjects.TryGetValue(subjectId, out var subject))
            foreach (var faceId in subject.Faces.ToArray())
                Remove(faceId);
    }

    /// <summary>The subject's face of the probe's model most similar to it, scored exactly; null when it has none.</summary>
    public SubjectMatch? BestFaceOf(string subjectId, ModelEmbedding probe)
    {
        if (!_subjects.TryGetValue(subjectId, out var subject))
            return null;
        SubjectMatch? best = null;
        foreach (var faceId in subject.Faces)
        {
            var (rows, row) = _rowOfFace[faceId];
            if (rows.ModelId != probe.ModelId)
                continue;
            rows.CheckDimension(probe);
            var similarity = EmbeddingMath.Dot(probe.Vector, rows.RowSpan(row));
            if (best is null || similarity > best.Similarity)
                best = new SubjectMatch(subjectId, faceId, similarity);
        }
        return best;
    }

    private sealed class SubjectEntry(int ordinal)
    {
        public int Ordinal { get; } = ordinal;

        public HashSet<Guid> Faces { get; } = [];
    }
}
