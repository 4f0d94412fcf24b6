namespace FaceService.Gallery;


/// <summary>A face to add to the gallery: its new id, its embedding, and where it came from (e.g. the upload's file name).</summary>
public sealed record NewFace(Guid FaceId, ModelEmbedding Embedding, string? Source);

/// <summary>New faces of one subject, and metadata to merge into the subject's.</summary>
public sealed record SubjectFaces(string SubjectId, IReadOnlyDictionary<string, string>? Metadata, IReadOnlyList<NewFace> Faces);

/// <summary>A face as stored, with its embedding; what the in-memory index is rebuilt from.</summary>
public sealed record StoredFace(Guid FaceId, string SubjectId, ModelEmbedding Embedding, string? Source, DateTimeOffset CreatedAt);

/// <summary>A face of a subject without its vector: what subject listings show.</summary>
public sealed record FaceInfo(Guid FaceId, string ModelId, string? Source, DateTimeOffset CreatedAt);

/// <summary>One subject (a person) and the faces enrolled for it. A subject exists while it has at least one face.</summary>
public sealed record Subject(
    string SubjectId,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<FaceInfo> Faces);

/// <summary>A subject in a listing: no face details, only how many.</summary>
public sealed record SubjectSummary(string SubjectId, IReadOnlyDictionary<string, string> Metadata, int FaceCount, DateTimeOffset CreatedAt);

/// <summary>A page of a listing (zero-based index) and the size of the whole listing.</summary>
public sealed record Page<T>(int PageIndex, int PageSize, long TotalCount, IReadOnlyList<T> Items);

/// <summary>A subject's best-matching face for a probe: the cosine similarity of the two normalised embeddings.</summary>
public sealed record SubjectMatch(string SubjectId, Guid FaceId, double Similarity);
