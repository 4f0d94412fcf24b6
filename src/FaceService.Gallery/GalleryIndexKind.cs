using FaceService.Gallery.QuantizedScan;
using FaceService.Gallery.Usearch;

namespace FaceService.Gallery;

/// <summary>
/// Which search the gallery runs: exhaustive, approximate (a compressed scan with exact re-scoring, or an HNSW graph),
/// or chosen by the gallery's size at start.
/// </summary>
public enum GalleryIndexKind
{
    Exact,
    Usearch,
    Auto,
    QuantizedScan,
}

public static class GalleryIndexes
{
    /// <summary>
    /// The index of <paramref name="kind"/>. Auto switches to the quantized scan from <paramref name="autoMinFaces"/>
    /// stored faces: at a million face-model embeddings it reaches recall@1 0.99 against exact search in a few
    /// milliseconds and builds in seconds, where USearch needed a wider beam (slower searches) and a build of 15 to 30
    /// minutes (docs/BENCHMARKS.md).
    /// </summary>
    public static IGalleryIndex Create(GalleryIndexKind kind, int autoMinFaces, UsearchIndexOptions usearch, QuantizedScanOptions quantizedScan) => kind switch
    {
        GalleryIndexKind.Exact => new ExactGalleryIndex(),
        GalleryIndexKind.Usearch => new UsearchGalleryIndex(usearch),
        GalleryIndexKind.QuantizedScan => new QuantizedScanGalleryIndex(quantizedScan),
        GalleryIndexKind.Auto => new AutoGalleryIndex(() => new ExactGalleryIndex(), () => new QuantizedScanGalleryIndex(quantizedScan), autoMinFaces),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Gallery index is Exact, Usearch, QuantizedScan or Auto."),
    };
}
