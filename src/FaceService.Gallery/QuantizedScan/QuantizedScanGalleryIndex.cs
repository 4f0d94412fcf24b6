using System.Diagnostics;
using FaceService.Embeddings;

namespace FaceService.Gallery.QuantizedScan;

/// <summary>How the last <see cref="QuantizedScanGalleryIndex.Rebuild"/> went: faces, code length per model, and its duration.</summary>
public sealed record QuantizedScanStartup(int FaceCount, IReadOnlyDictionary<string, int> CodeLengthOfModel, TimeSpan Elapsed);

/// <summary>
/// Approximate search for large galleries by a compressed scan of every face, then exact re-scoring. Each model's
/// embeddings are also kept as int8 codes on the gallery's leading principal axes (<see cref="PcaInt8Codec"/>); a search
/// scans all codes with SIMD integer multiply-adds, split across the cores (<see cref="Int8BlockScan"/>), keeps the
/// <see cref="QuantizedScanOptions.Candidates"/> faces with the best approximate similarity, re-scores those with the
/// float embeddings and ranks subjects by their best face, scored exactly over all their faces.
/// Why a scan rather than a graph: face embeddings crowd together (impostor cosines around 0.84), so a subject's
/// nearest rival is barely behind it and an HNSW graph needs a very wide beam to find it reliably; a scan looks at every
/// face, its codes are small enough to stream from memory in a few milliseconds at a million faces, and with all the
/// variance kept the approximate ranking puts the true best face within the first few candidates.
/// There is nothing to persist: the codec is fitted and the codes written in seconds when the index is rebuilt at start.
/// Searches run in parallel under a read lock; writes take it alone.
/// </summary>
public sealed class QuantizedScanGalleryIndex : IGalleryIndex, IDisposable
{
    private readonly QuantizedScanOptions _options;
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly GalleryRows<QuantizedRows> _rows;

    public QuantizedScanGalleryIndex(QuantizedScanOptions? options = null)
    {
        _options = options ?? new QuantizedScanOptions();
        if (!(_options.RetainedVariance is > 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(options), _options.RetainedVariance, "RetainedVariance must be in (0, 1].");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.Candidates);
        _rows = new GalleryRows<QuantizedRows>((modelId, dimension) => new QuantizedRows(modelId, dimension, _options.RetainedVariance));
    }

    /// <summary>What the last rebuild fitted and how long it took.</summary>
    public QuantizedScanStartup? LastStartup { get; private set; }

    public int FaceCount => _lock.Read(() => _rows.FaceCount);

    public int SubjectCount => _lock.Read(() => _rows.SubjectCount);

    public IReadOnlyCollection<string> ModelIds => _lock.Read(() => _rows.ModelIds);

    public bool ContainsSubject(string subjectId) => _lock.Read(() => _rows.ContainsSubject(subjectId));

    public IReadOnlyCollection<string> ModelIdsOf(string subjectId) => _lock.Read(() => _rows.ModelIdsOf(subjectId));

    public void Rebuild(IEnumerable<StoredFace> faces) => _lock.Write(() =>
    {
        var stopwatch = Stopwatch.StartNew();
        _rows.Clear();
        foreach (var face in faces)
            _rows.Add(face.SubjectId, face.FaceId, face.Embedding);
        foreach (var partition in _rows.Partitions)
            partition.Fit();
        LastStartup = new QuantizedScanStartup(_rows.FaceCount,
            _rows.Partitions.ToDictionary(p => p.ModelId, p => p.CodeLength, StringComparer.Ordinal), stopwatch.Elapsed);
    });

    public void Add(string subjectId, IReadOnlyList<NewFace> faces) => _lock.Write(() =>
    {
        var touched = new HashSet<QuantizedRows>();
        try
        {
            foreach (var face in faces)
                touched.Add(_rows.Add(subjectId, face.FaceId, face.Embedding));
        }
        finally
        {
            // Also after a refused face: the faces added before it must be searchable.
            foreach (var partition in touched)
                partition.RefitIfGrown();
        }
    });

    public void RemoveFace(Guid faceId) => _lock.Write(() => _rows.Remove(faceId));

    public void RemoveSubject(string subjectId) => _lock.Write(() => _rows.RemoveSubject(subjectId));

    public IReadOnlyList<SubjectMatch> Search(ModelEmbedding probe, int topK)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        _lock.EnterReadLock();
        try
        {
            if (_rows.RowsFor(probe) is not { } partition)
                return [];

            // A subject with many faces can fill the candidates alone: widen until topK subjects are found.
            for (var candidates = Math.Max(_options.Candidates, topK); ; candidates *= 4)
            {
                var rows = candidates >= partition.Count ? Enumerable.Range(0, partition.Count) : partition.Candidates(probe.Vector, candidates);
                var bestOfSubject = new Dictionary<int, float>();
                foreach (var row in rows)
                {
                    var similarity = EmbeddingMath.Dot(probe.Vector, partition.RowSpan(row));
                    var ordinal = partition.SubjectOrdinals[row];
                    if (!bestOfSubject.TryGetValue(ordinal, out var best) || similarity > best)
                        bestOfSubject[ordinal] = similarity;
                }
                if (bestOfSubject.Count >= topK || candidates >= partition.Count)
                    return bestOfSubject
                        .OrderByDescending(pair => pair.Value)
                        .Take(topK)
                        .Select(pair => _rows.BestFaceOf(_rows.SubjectOf(pair.Key), probe)!)
                        .OrderByDescending(m => m.Similarity)
                        .ThenBy(m => m.SubjectId, StringComparer.Ordinal)
                        .ToArray();
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public SubjectMatch? BestFaceOf(string subjectId, ModelEmbedding probe) => _lock.Read(() => _rows.BestFaceOf(subjectId, probe));

    public void Dispose() => _lock.Dispose();
}
