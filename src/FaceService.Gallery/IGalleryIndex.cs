namespace FaceService.Gallery;

/// <summary>
/// In-memory search over the gallery's embeddings, kept in step with the store by <see cref="FaceGallery"/>.
/// Embeddings are partitioned by model id: a probe is only ever scored against embeddings of its own model.
/// </summary>
public interface IGalleryIndex
{
    int FaceCount { get; }

    int SubjectCount { get; }

    /// <summary>The models that have at least one face in the index.</summary>
    IReadOnlyCollection<string> ModelIds { get; }

    bool ContainsSubject(string subjectId);

    /// <summary>The ids of the models that the subject's faces were embedded with; empty for an unknown subject.</summary>
    IReadOnlyCollection<string> ModelIdsOf(string subjectId);

    /// <summary>Replaces the whole content.</summary>
    void Rebuild(IEnumerable<StoredFace> faces);

    void Add(string subjectId, IReadOnlyList<NewFace> faces);

    void RemoveFace(Guid faceId);

    void RemoveSubject(string subjectId);

    /// <summary>The <paramref name="topK"/> subjects most similar to the probe, each by its best face, best first.</summary>
    IReadOnlyList<SubjectMatch> Search(ModelEmbedding probe, int topK);

    /// <summary>The subject's face of the probe's model most similar to it; null when it has none.</summary>
    SubjectMatch? BestFaceOf(string subjectId, ModelEmbedding probe);
}
