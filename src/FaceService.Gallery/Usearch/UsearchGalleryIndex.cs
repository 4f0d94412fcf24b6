using System.Diagnostics;
using System.Text.Json;
using FaceService.Embeddings;

namespace FaceService.Gallery.Usearch;

/// <summary>How the index got its content at the last <see cref="UsearchGalleryIndex.Rebuild"/>, and how long it took.</summary>
public sealed record IndexStartup(bool LoadedFromFile, int FaceCount, TimeSpan Elapsed, string? RebuildReason);

/// <summary>
/// Approximate search for large galleries: one USearch HNSW graph per model over the normalised embeddings with the
/// inner-product metric (distance = 1 - cosine similarity). A rebuild inserts one face at a time. A search fetches the nearest faces from the graph and keeps
/// each subject's best, widening the fetch until it has <c>topK</c> subjects. Vectors live only in USearch (float32,
/// not quantised), so <see cref="BestFaceOf"/> reads them back and scores them exactly.
/// Deletes use USearch's own removal (the node is tombstoned in the graph); keys are never reused.
/// Persisted to <see cref="UsearchIndexOptions.PersistPath"/> after a rebuild and on dispose, and loaded at start when
/// the persisted faces are exactly the store's (face ids are never reused and embeddings never change), else rebuilt.
/// Searches run in parallel under a read lock; writes take it alone.
/// </summary>
public sealed class UsearchGalleryIndex : IGalleryIndex, IDisposable
{
    private const int FormatVersion = 1;
    private const string ManifestFile = "manifest.json";

    private readonly UsearchIndexOptions _options;
    private readonly ReaderWriterLockSlim _lock = new();
    // USearch hands each concurrent native search one of a fixed set of thread contexts (one per core by default).
    private readonly SemaphoreSlim _nativeSearches = new(Environment.ProcessorCount, Environment.ProcessorCount);
    private readonly Dictionary<string, Partition> _partitions = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, (Partition Partition, ulong Key, string SubjectId)> _faces = [];
    private readonly Dictionary<string, HashSet<Guid>> _subjects = new(StringComparer.Ordinal);
    private bool _changedSinceSave;

    public UsearchGalleryIndex(UsearchIndexOptions? options = null)
    {
        _options = options ?? new UsearchIndexOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.Connectivity);
        ArgumentOutOfRangeException.ThrowIfNegative(_options.ExpansionAdd);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.SearchCandidates);
    }

    /// <summary>Whether the last rebuild loaded the persisted index or built it, and its duration.</summary>
    public IndexStartup? LastStartup { get; private set; }

    public int FaceCount => _lock.Read(() => _faces.Count);

    public int SubjectCount => _lock.Read(() => _subjects.Count);

    public IReadOnlyCollection<string> ModelIds =>
        _lock.Read(() => _partitions.Values.Where(p => p.Count > 0).Select(p => p.ModelId).ToArray());

    public bool ContainsSubject(string subjectId) => _lock.Read(() => _subjects.ContainsKey(subjectId));

    public IReadOnlyCollection<string> ModelIdsOf(string subjectId) => _lock.Read(() =>
        _subjects.TryGetValue(subjectId, out var faces)
            ? faces.Select(f => _faces[f].Partition.ModelId).Distinct().ToArray()
            : (IReadOnlyCollection<string>)[]);

    public void Rebuild(IEnumerable<StoredFace> faces) => _lock.Write(() =>
    {
        var stopwatch = Stopwatch.StartNew();
        ClearUnlocked();
        var byModel = faces.GroupBy(f => f.Embedding.ModelId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        string? rebuildReason = "no persist path";
        if (_options.PersistPath is { } path)
        {
            rebuildReason = TryLoadUnlocked(path, byModel);
            if (rebuildReason is not null)
            {
                ClearUnlocked();
                BuildUnlocked(byModel);
                SaveUnlocked(path);
            }
        }
        else
        {
            BuildUnlocked(byModel);
        }
        _changedSinceSave = false;
        LastStartup = new IndexStartup(rebuildReason is null, _faces.Count, stopwatch.Elapsed, rebuildReason);
    });

    public void Add(string subjectId, IReadOnlyList<NewFace> faces) => _lock.Write(() =>
    {
        foreach (var face in faces)
        {
            if (_faces.ContainsKey(face.FaceId))
                throw new InvalidOperationException($"Face {face.FaceId} is already in the index.");
            var partition = PartitionFor(face.Embedding);
            var key = partition.NextKey++;
            // Grow geometrically: a reservation copies the index, so one slot at a time would make enrolment O(n).
            if (partition.Index.Size >= partition.Index.Capacity)
                partition.Index.Reserve(Math.Max(64, partition.Index.Capacity * 2));
            partition.Index.Add(key, face.Embedding.Vector);
            Register(partition, key, face.FaceId, subjectId);
        }
        _changedSinceSave |= faces.Count > 0;
    });

    public void RemoveFace(Guid faceId) => _lock.Write(() => RemoveUnlocked(faceId));

    public void RemoveSubject(string subjectId) => _lock.Write(() =>
    {
        if (_subjects.TryGetValue(subjectId, out var faces))
            foreach (var faceId in faces.ToArray())
                RemoveUnlocked(faceId);
    });

    public IReadOnlyList<SubjectMatch> Search(ModelEmbedding probe, int topK)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        _lock.EnterReadLock();
        try
        {
            if (!_partitions.TryGetValue(probe.ModelId, out var partition) || partition.Count == 0)
                return [];
            partition.CheckDimension(probe);

            // A subject with many faces can fill the fetched neighbours alone: widen until topK subjects are found.
            for (var wanted = Math.Max(_options.SearchCandidates, topK); ; wanted *= 4)
            {
                var count = Math.Min(wanted, partition.Count);
                var keys = new ulong[count];
                var distances = new float[count];
                int found;
                _nativeSearches.Wait();
                try
                {
                    found = partition.Index.Search(probe.Vector, keys, distances);
                }
                finally
                {
                    _nativeSearches.Release();
                }

                // Neighbours come nearest first, so a subject's first hit is its best face.
                var best = new Dictionary<string, SubjectMatch>(StringComparer.Ordinal);
                for (var i = 0; i < found; i++)
                {
                    var (faceId, subjectId) = partition.FaceOfKey[keys[i]];
                    if (!best.ContainsKey(subjectId))
                        best[subjectId] = new SubjectMatch(subjectId, faceId, 1 - distances[i]);
                }
                if (best.Count >= topK || count >= partition.Count)
                    return best.Values
                        .OrderByDescending(m => m.Similarity)
                        .ThenBy(m => m.SubjectId, StringComparer.Ordinal)
                        .Take(topK)
                        .ToArray();
            }
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
            if (!_subjects.TryGetValue(subjectId, out var faces))
                return null;
            SubjectMatch? best = null;
            var vector = new float[probe.Dimension];
            foreach (var faceId in faces)
            {
                var (partition, key, _) = _faces[faceId];
                if (partition.ModelId != probe.ModelId)
                    continue;
                partition.CheckDimension(probe);
                if (!partition.Index.TryGet(key, vector))
                    throw new InvalidOperationException($"Face {faceId} is registered but USearch has no vector for it.");
                var similarity = EmbeddingMath.Dot(probe.Vector, vector);
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

    /// <summary>Writes the index to <see cref="UsearchIndexOptions.PersistPath"/> (if set), replacing what was there.</summary>
    public void Save() => _lock.Write(() =>
    {
        if (_options.PersistPath is { } path)
            SaveUnlocked(path);
        _changedSinceSave = false;
    });

    /// <summary>Saves changes made since the last save, so that the next start loads instead of rebuilding.</summary>
    public void Dispose()
    {
        if (_changedSinceSave)
            Save();
        ClearUnlocked();
        _nativeSearches.Dispose();
        _lock.Dispose();
    }

    private Partition PartitionFor(ModelEmbedding embedding)
    {
        if (!_partitions.TryGetValue(embedding.ModelId, out var partition))
            _partitions[embedding.ModelId] = partition = new Partition(embedding.ModelId, embedding.Dimension,
                UsearchNativeIndex.Create(embedding.Dimension, _options.Connectivity, _options.ExpansionAdd, _options.SearchCandidates));
        partition.CheckDimension(embedding);
        return partition;
    }

    private void BuildUnlocked(Dictionary<string, StoredFace[]> byModel)
    {
        foreach (var (_, faces) in byModel)
        {
            var partition = PartitionFor(faces[0].Embedding);
            foreach (var face in faces)
                partition.CheckDimension(face.Embedding);
            // Face i gets key i. One insert at a time: concurrent adds can leave a node stored but unreachable by any
            // search (USearch issue #735; here 3 of 15,000 faces after parallel builds of 500), a face identify never finds.
            partition.Index.Reserve(faces.Length);
            for (var i = 0; i < faces.Length; i++)
                partition.Index.Add((ulong)i, faces[i].Embedding.Vector);
            partition.NextKey = (ulong)faces.Length;
            for (var i = 0; i < faces.Length; i++)
                Register(partition, (ulong)i, faces[i].FaceId, faces[i].SubjectId);
        }
    }

    private void Register(Partition partition, ulong key, Guid faceId, string subjectId)
    {
        partition.FaceOfKey[key] = (faceId, subjectId);
        _faces[faceId] = (partition, key, subjectId);
        if (!_subjects.TryGetValue(subjectId, out var faces))
            _subjects[subjectId] = faces = [];
        faces.Add(faceId);
    }

    private void RemoveUnlocked(Guid faceId)
    {
        if (!_faces.Remove(faceId, out var entry))
            return;
        entry.Partition.Index.Remove(entry.Key);
        entry.Partition.FaceOfKey.Remove(entry.Key);
        var faces = _subjects[entry.SubjectId];
        faces.Remove(faceId);
        if (faces.Count == 0)
            _subjects.Remove(entry.SubjectId);
        _changedSinceSave = true;
    }

    private void ClearUnlocked()
    {
        foreach (var partition in _partitions.Values)
            partition.Index.Dispose();
        _partitions.Clear();
        _faces.Clear();
        _subjects.Clear();
    }

    /// <summary>Loads the persisted index if it holds exactly the stored faces; otherwise returns why it cannot.</summary>
    private string? TryLoadUnlocked(string path, Dictionary<string, StoredFace[]> byModel)
    {
        var manifestPath = Path.Combine(path, ManifestFile);
        if (!File.Exists(manifestPath))
            return "no persisted index";
        try
        {
            var manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath));
            if (manifest is null || manifest.Format != FormatVersion)
                return "persisted index has another format";
            if (manifest.Partitions.Count != byModel.Count)
                return "persisted index has other models than the store";
            foreach (var persisted in manifest.Partitions)
            {
                if (!byModel.TryGetValue(persisted.ModelId, out var stored) || stored.Length != persisted.Count)
                    return $"persisted index differs from the store for model '{persisted.ModelId}'";
                var keyOfFace = ReadKeys(Path.Combine(path, persisted.File + ".keys"));
                if (keyOfFace.Count != stored.Length || stored.Any(f => !keyOfFace.ContainsKey(f.FaceId)))
                    return $"persisted faces differ from the store for model '{persisted.ModelId}'";

                var index = UsearchNativeIndex.Load(Path.Combine(path, persisted.File + ".usearch"), _options.SearchCandidates);
                var partition = new Partition(persisted.ModelId, persisted.Dimension, index) { NextKey = persisted.NextKey };
                _partitions[persisted.ModelId] = partition;
                if (index.Dimension != persisted.Dimension)
                    return $"persisted index for model '{persisted.ModelId}' has another dimension";
                foreach (var face in stored)
                {
                    partition.CheckDimension(face.Embedding);
                    Register(partition, keyOfFace[face.FaceId], face.FaceId, face.SubjectId);
                }
            }
            return null;
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or Cloud.Unum.USearch.USearchException or ArgumentException)
        {
            return $"persisted index unreadable: {e.Message}";
        }
    }

    private void SaveUnlocked(string path)
    {
        // Written beside the target and moved into place, so a crash mid-save leaves no half index to load.
        var staging = path + ".saving";
        if (Directory.Exists(staging))
            Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        var manifest = new Manifest { Format = FormatVersion };
        var ordinal = 0;
        foreach (var partition in _partitions.Values.Where(p => p.Count > 0))
        {
            var file = $"model{ordinal++}";
            partition.Index.Save(Path.Combine(staging, file + ".usearch"));
            WriteKeys(Path.Combine(staging, file + ".keys"), partition);
            manifest.Partitions.Add(new PersistedPartition(partition.ModelId, partition.Dimension, partition.Count, partition.NextKey, file));
        }
        File.WriteAllText(Path.Combine(staging, ManifestFile), JsonSerializer.Serialize(manifest));
        if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
        Directory.Move(staging, path);
    }

    private static void WriteKeys(string file, Partition partition)
    {
        using var writer = new BinaryWriter(File.Create(file));
        writer.Write(partition.Count);
        Span<byte> guid = stackalloc byte[16];
        foreach (var (key, (faceId, _)) in partition.FaceOfKey)
        {
            writer.Write(key);
            faceId.TryWriteBytes(guid);
            writer.Write(guid);
        }
    }

    private static Dictionary<Guid, ulong> ReadKeys(string file)
    {
        using var reader = new BinaryReader(File.OpenRead(file));
        var count = reader.ReadInt32();
        if (count < 0)
            throw new InvalidDataException($"{file}: negative face count.");
        var keyOfFace = new Dictionary<Guid, ulong>(count);
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadUInt64();
            keyOfFace[new Guid(reader.ReadBytes(16))] = key;
        }
        return keyOfFace;
    }

    /// <summary>One model's graph and the face behind each of its keys.</summary>
    private sealed class Partition(string modelId, int dimension, UsearchNativeIndex index)
    {
        public string ModelId { get; } = modelId;

        public int Dimension { get; } = dimension;

        public UsearchNativeIndex Index { get; } = index;

        public Dictionary<ulong, (Guid FaceId, string SubjectId)> FaceOfKey { get; } = [];

        public ulong NextKey { get; set; }

        public int Count => FaceOfKey.Count;

        public void CheckDimension(ModelEmbedding embedding)
        {
            if (embedding.Dimension != Dimension)
                throw new ArgumentException(
                    $"Model '{ModelId}' embeddings have {Dimension} values; this one has {embedding.Dimension}.", nameof(embedding));
        }
    }

    private sealed class Manifest
    {
        public int Format { get; set; }

        public List<PersistedPartition> Partitions { get; set; } = [];
    }

    private sealed record PersistedPartition(string ModelId, int Dimension, int Count, ulong NextKey, string File);
}
