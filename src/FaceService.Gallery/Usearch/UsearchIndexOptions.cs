namespace FaceService.Gallery.Usearch;

/// <summary>How the approximate (HNSW) index is built, searched and persisted.</summary>
public sealed class UsearchIndexOptions
{
    /// <summary>
    /// Where the index is persisted: a folder (e.g. <c>gallery.db.usearch</c> beside the SQLite file) with one USearch
    /// file and one key file per model. Null keeps the index in memory only (rebuilt at every start).
    /// </summary>
    public string? PersistPath { get; set; }

    /// <summary>HNSW edges per node (USearch's M); 0 = USearch's default (16). Stored in the index file.</summary>
    public int Connectivity { get; set; }

    /// <summary>
    /// Beam width while inserting; 0 = USearch's default (128). Higher builds a better graph, slower: 64 builds in about
    /// half the time of 128 (docs/BENCHMARKS.md), and the search beam makes up the recall.
    /// </summary>
    public int ExpansionAdd { get; set; } = 64;

    /// <summary>
    /// The search beam (USearch's expansion_search) and the number of faces fetched per search before they are grouped
    /// by subject: the recall against latency lever.
    /// </summary>
    public int SearchCandidates { get; set; } = 256;
}
