namespace FaceService.Evaluation.Lfw;

/// <summary>
/// The L2-normalised embedding of every LFW image at HR (size null) and at each degraded size, so that every pair
/// score of every protocol is a dot product of two stored vectors.
/// </summary>
public sealed class ResolutionEmbeddings
{
    private readonly Dictionary<string, int> _imageIndex;
    private readonly Dictionary<int, float[]?[]> _bySize = [];
    private readonly float[]?[] _hr;

    public ResolutionEmbeddings(IReadOnlyList<string> images, IEnumerable<int> lowResolutionSizes)
    {
        _imageIndex = images.Select((image, i) => (image, i)).ToDictionary(x => x.image, x => x.i, StringComparer.Ordinal);
        _hr = new float[]?[images.Count];
        foreach (var size in lowResolutionSizes)
            _bySize[size] = new float[]?[images.Count];
    }

    public IReadOnlyCollection<int> LowResolutionSizes => _bySize.Keys;

    public void Set(string image, int? size, float[] embedding) => Slot(size)[_imageIndex[image]] = embedding;

    public float[] Get(string image, int? size) =>
        Slot(size)[_imageIndex[image]] ?? throw new InvalidOperationException($"{image} has no embedding at {(size is { } s ? $"{s} px" : "HR")}.");

    private float[]?[] Slot(int? size) =>
        size is { } s ? _bySize.TryGetValue(s, out var slot) ? slot : throw new ArgumentOutOfRangeException(nameof(size), s, "Size not evaluated.") : _hr;
}
