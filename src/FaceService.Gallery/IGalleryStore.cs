namespace FaceService.Gallery;

/// <summary>
/// Durable storage of subjects and their face embeddings. Search does not happen here: the in-memory index is
/// rebuilt from <see cref="LoadAllFacesAsync"/> at start and kept in step by <see cref="FaceGallery"/>.
/// Each write method is one transaction. SQLite is the embedded default; the shape fits a PostgreSQL store too.
/// </summary>
public interface IGalleryStore
{
    /// <summary>Creates the schema if it does not exist yet.</summary>
    Task EnsureCreatedAsync(CancellationToken cancellationToken = default);

    /// <summary>Throws when the store cannot be reached; what the readiness check runs.</summary>
    Task CheckReachableAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds faces to subjects in one transaction, creating subjects as needed. Each batch entry's metadata is merged
    /// into its subject's metadata, a new value replacing an old one of the same key.
    /// </summary>
    Task AddFacesAsync(IReadOnlyList<SubjectFaces> batch, CancellationToken cancellationToken = default);

    Task<Page<SubjectSummary>> ListSubjectsAsync(int pageIndex, int pageSize, CancellationToken cancellationToken = default);

    Task<Subject?> GetSubjectAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the subject and every embedding of it; false when there was no such subject.</summary>
    Task<bool> DeleteSubjectAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes one face of a subject, and the subject itself when that was its last face.
    /// </summary>
    Task<FaceDeletion> DeleteFaceAsync(string subjectId, Guid faceId, CancellationToken cancellationToken = default);

    /// <summary>Every stored face with its embedding, for rebuilding the index.</summary>
    IAsyncEnumerable<StoredFace> LoadAllFacesAsync(CancellationToken cancellationToken = default);
}

public enum FaceDeletion
{
    NotFound,
    Deleted,
    DeletedWithSubject,
}
