using FaceService.Gallery.Usearch;

namespace FaceService.Gallery;

/// <summary>Which search the gallery runs: exhaustive, approximate (HNSW), or chosen by the gallery's size at start.</summary>
public enum GalleryIndexKind
{
    Exact,
    Usearch,
    Auto,
}

public static class GalleryIndexes
{
    /// <summary>The index of <paramref name="kind"/>; Auto switches to USearch from <paramref name="autoMinFaces"/> stored faces.</summary>
    public static IGalleryIndex Create(GalleryIndexKind kind, int autoMinFaces, UsearchIndexOptions usearch) => kind switch
    {
        GalleryIndexKind.Exact => new ExactGalleryIndex(),
        GalleryIndexKind.Usearch => new UsearchGalleryIndex(usearch),
        GalleryIndexKind.Auto => new AutoGalleryIndex(() => new ExactGalleryIndex(), () => new UsearchGalleryIndex(usearch), autoMinFaces),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Gallery index is Exact, Usearch or Auto."),
    };
}
