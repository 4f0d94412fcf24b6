namespace FaceService.Gallery;

/// <summary>
/// Exact search for small galleries, approximate search for large ones. The choice is made when the index is rebuilt
/// from the store (at start), by the number of stored faces: a gallery that grows past the threshold while running
/// switches at the next start, so a running service never pauses to rebuild.
/// </summary>
public sealed class AutoGalleryIndex : IGalleryIndex, IDisposable
{
    private readonly Func<IGalleryIndex> _createExact;
    private readonly Func<IGalleryIndex> _createApproximate;
    private readonly int _approximateFromFaces;
    private volatile IGalleryIndex _current;
    private bool _isApproximate;

    public AutoGalleryIndex(Func<IGalleryIndex> createExact, Func<IGalleryIndex> createApproximate, int approximateFromFaces)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(approximateFromFaces);
        _createExact = createExact;
        _createApproximate = createApproximate;
        _approximateFromFaces = approximateFromFaces;
        _current = createExact();
    }

    /// <summary>The index in use.</summary>
    public IGalleryIndex Current => _current;

    public int FaceCount => _current.FaceCount;

    public int SubjectCount => _current.SubjectCount;

    public IReadOnlyCollection<string> ModelIds => _current.ModelIds;

    public bool ContainsSubject(string subjectId) => _current.ContainsSubject(subjectId);

    public IReadOnlyCollection<string> ModelIdsOf(string subjectId) => _current.ModelIdsOf(subjectId);

    public void Rebuild(IEnumerable<StoredFace> faces)
    {
        var all = faces as IReadOnlyCollection<StoredFace> ?? faces.ToArray();
        var wantApproximate = all.Count >= _approximateFromFaces;
        if (wantApproximate != _isApproximate)
        {
            var previous = _current;
            _current = wantApproximate ? _createApproximate() : _createExact();
            _isApproximate = wantApproximate;
            (previous as IDisposable)?.Dispose();
        }
        _current.Rebuild(all);
    }

    public void Add(string subjectId, IReadOnlyList<NewFace> faces) => _current.Add(subjectId, faces);

    public void RemoveFace(Guid faceId) => _current.RemoveFace(faceId);

    public void RemoveSubject(string subjectId) => _current.RemoveSubject(subjectId);

    public IReadOnlyList<SubjectMatch> Search(ModelEmbedding probe, int topK) => _current.Search(probe, topK);

    public SubjectMatch? BestFaceOf(string subjectId, ModelEmbedding probe) => _current.BestFaceOf(subjectId, probe);

    public void Dispose() => (_current as IDisposable)?.Dispose();
}
