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

    /// <summary>Beam width while inserting; 0 = USearch's default (128). Higher builds a better graph, slower.</summary>
    public int ExpansionAdd { get; set; }

    /// <summary>
    /// Faces fetched from the graph per search, before they are grouped by subject. The search beam is at least this
    /// wide, so it is also the recall lever (the binding cannot change USearch's expansion of a loaded index).
    /// </summary>
    public int SearchCandidates { get; set; } = 64;
}
