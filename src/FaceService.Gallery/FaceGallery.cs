namespace FaceService.Gallery;

/// <summary>A face offered for enrolment: its embedding and where it came from.</summary>
public sealed record FaceToEnroll(ModelEmbedding Embedding, string? Source);

/// <summary>Faces offered for one subject, with metadata to merge into the subject's.</summary>
public sealed record EnrollBatchEntry(string SubjectId, IReadOnlyDictionary<string, string>? Metadata, IReadOnlyList<FaceToEnroll> Faces);

/// <summary>
/// What became of one offered face. A near-duplicate of a face the subject already has (or of an earlier face in the
/// same request) is not stored again: <see cref="FaceId"/> is then the face it duplicates.
/// </summary>
public sealed record EnrolledFace(Guid FaceId, bool IsDuplicate, double? DuplicateSimilarity);

/// <summary>An open-set identification: the best subjects, and the best one if it clears the threshold.</summary>
public sealed record Identification(IReadOnlyList<SubjectMatch> Candidates, SubjectMatch? Identified)
{
    public bool IsUnknown => Identified is null;
}

/// <summary>
/// The gallery as the service uses it: the durable store and the in-memory index, kept in step. Writes are
/// serialised so that the duplicate check, the store's transaction and the index update happen as one step;
/// searches run concurrently against the index.
/// </summary>
public sealed class FaceGallery(IGalleryStore store, IGalleryIndex index) : IDisposable
{
    private readonly SemaphoreSlim _writes = new(1, 1);

    public IGalleryStore Store => store;

    public int FaceCount => index.FaceCount;

    public int SubjectCount => index.SubjectCount;

    /// <summary>Creates the store's schema if needed and rebuilds the index from every stored face.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        await store.EnsureCreatedAsync(cancellationToken);
        var faces = new List<StoredFace>();
        await foreach (var face in store.LoadAllFacesAsync(cancellationToken))
            faces.Add(face);
        index.Rebuild(faces);
    }

    /// <summary>
    /// Stores the offered faces in one transaction, skipping each face whose similarity to a face of the same subject
    /// and model reaches <paramref name="duplicateSimilarity"/>. Returns one outcome per offered face, in order.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<EnrolledFace>>> EnrollAsync(IReadOnlyList<EnrollBatchEntry> batch,
        double duplicateSimilarity, CancellationToken cancellationToken = default)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var outcomes = new List<IReadOnlyList<EnrolledFace>>(batch.Count);
            var toStore = new List<SubjectFaces>(batch.Count);
            var acceptedOfSubject = new Dictionary<string, List<NewFace>>(StringComparer.Ordinal);
            foreach (var entry in batch)
            {
                if (!acceptedOfSubject.TryGetValue(entry.SubjectId, out var accepted))
                    acceptedOfSubject[entry.SubjectId] = accepted = [];
                var newFaces = new List<NewFace>();
                var entryOutcomes = new List<EnrolledFace>(entry.Faces.Count);
                foreach (var offered in entry.Faces)
                {
                    var duplicate = FindDuplicate(entry.SubjectId, offered.Embedding, accepted, duplicateSimilarity);
                    if (duplicate is not null)
                    {
                        entryOutcomes.Add(new EnrolledFace(duplicate.FaceId, true, duplicate.Similarity));
                        continue;
                    }
                    var face = new NewFace(Guid.NewGuid(), offered.Embedding, offered.Source);
                    newFaces.Add(face);
                    accepted.Add(face);
                    entryOutcomes.Add(new EnrolledFace(face.FaceId, false, null));
                }
                outcomes.Add(entryOutcomes);
                toStore.Add(new SubjectFaces(entry.SubjectId, entry.Metadata, newFaces));
            }

            await store.AddFacesAsync(toStore, cancellationToken);
            foreach (var entry in toStore)
                index.Add(entry.SubjectId, entry.Faces);
            return outcomes;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>
    /// The subject's best face for the probe, or null when there is no such subject. Refuses a subject whose faces
    /// were all embedded by other models.
    /// </summary>
    public SubjectMatch? CompareWithSubject(string subjectId, ModelEmbedding probe)
    {
        var modelIds = index.ModelIdsOf(subjectId);
        if (modelIds.Count == 0)
            return null;
        return index.BestFaceOf(subjectId, probe) ?? throw new ModelMismatchException(probe.ModelId, modelIds);
    }

    /// <summary>
    /// Open-set identification: the <paramref name="topK"/> most similar subjects, and the first of them if its
    /// similarity is above <paramref name="threshold"/>. Refuses a gallery that holds only other models' embeddings.
    /// </summary>
    public Identification Identify(ModelEmbedding probe, int topK, double threshold)
    {
        var candidates = index.Search(probe, topK);
        if (candidates.Count == 0 && index.ModelIds is { Count: > 0 } modelIds && !modelIds.Contains(probe.ModelId))
            throw new ModelMismatchException(probe.ModelId, modelIds);
        var best = candidates.Count > 0 && candidates[0].Similarity > threshold ? candidates[0] : null;
        return new Identification(candidates, best);
    }

    public async Task<bool> DeleteSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var deleted = await store.DeleteSubjectAsync(subjectId, cancellationToken);
            index.RemoveSubject(subjectId);
            return deleted;
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task<FaceDeletion> DeleteFaceAsync(string subjectId, Guid faceId, CancellationToken cancellationToken = default)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var deletion = await store.DeleteFaceAsync(subjectId, faceId, cancellationToken);
            if (deletion != FaceDeletion.NotFound)
                index.RemoveFace(faceId);
            return deletion;
        }
        finally
        {
            _writes.Release();
        }
    }

    public void Dispose() => _writes.Dispose();

    private SubjectMatch? FindDuplicate(string subjectId, ModelEmbedding embedding, IReadOnlyList<NewFace> acceptedInThisRequest,
        double duplicateSimilarity)
    {
        var best = index.BestFaceOf(subjectId, embedding);
        foreach (var earlier in acceptedInThisRequest)
        {
            if (earlier.Embedding.ModelId != embedding.ModelId)
                continue;
            var similarity = embedding.CosineSimilarity(earlier.Embedding);
            if (best is null || similarity > best.Similarity)
                best = new SubjectMatch(subjectId, earlier.FaceId, similarity);
        }
        return best is not null && best.Similarity >= duplicateSimilarity ? best : null;
    }
}
