using FaceService.Gallery;
using FaceService.Gallery.QuantizedScan;
using FaceService.Gallery.Usearch;

namespace FaceService.Api.Options;

public sealed class GalleryOptions
{
    public const string Section = "Gallery";

    /// <summary>The SQLite file; created with its folder on start.</summary>
    public string DatabasePath { get; set; } = "data/gallery.db";

    /// <summary>A new face at least this similar (cosine) to one the subject already has is reported, not stored.</summary>
    public double DuplicateSimilarity { get; set; } = 0.97;

    public int DefaultTopK { get; set; } = 5;

    public int MaxTopK { get; set; } = 100;

    public int DefaultPageSize { get; set; } = 20;

    public int MaxPageSize { get; set; } = 200;

    /// <summary>
    /// Exact (exhaustive SIMD), QuantizedScan (compressed scan of every face, exact re-scoring), Usearch (approximate
    /// HNSW) or Auto (QuantizedScan from <see cref="AutoIndexMinFaces"/> stored faces at start).
    /// </summary>
    public GalleryIndexKind Index { get; set; } = GalleryIndexKind.Auto;

    public int AutoIndexMinFaces { get; set; } = 100_000;

    /// <summary>The quantized scan (also what Auto switches to).</summary>
    public QuantizedScanOptions QuantizedScan { get; set; } = new();

    /// <summary>The HNSW index; its persist path defaults to the database path + <c>.usearch</c>.</summary>
    public UsearchIndexOptions Usearch { get; set; } = new();

    public UsearchIndexOptions UsearchWithPersistPath() => new()
    {
        PersistPath = Usearch.PersistPath ?? DatabasePath + ".usearch",
        Connectivity = Usearch.Connectivity,
        ExpansionAdd = Usearch.ExpansionAdd,
        SearchCandidates = Usearch.SearchCandidates,
    };
}
