using BenchmarkDotNet.Attributes;
using FaceService.Gallery;
using FaceService.Gallery.QuantizedScan;
using FaceService.Gallery.Usearch;

namespace FaceService.Benchmarks;

/// <summary>
/// One identification (top 5 subjects) over a synthetic gallery of normalised 128-D embeddings, uniform (the worst
/// case) or sampled from the fitted face-embedding model: the exact SIMD scan against the quantized scan and the USearch
/// HNSW graph (the service's default options for each). Probes
/// are genuine (see <see cref="SyntheticGallery"/>); recall is measured by the <c>recall</c> command, not here. The
/// USearch graph is cached under artifacts/ (the <c>recall</c> command builds the same one), so only the first run builds it.
/// </summary>
public class GallerySearchBenchmarks
{
    private IGalleryIndex _index = null!;
    private ModelEmbedding[] _probes = [];
    private int _next;

    [ParamsSource(nameof(GallerySizes))]
    public int Faces { get; set; } = 10_000;

    [ParamsSource(nameof(Indexes))]
    public string Index { get; set; } = "Exact";

    [ParamsSource(nameof(DataKinds))]
    public SyntheticData Data { get; set; } = SyntheticData.FaceModel;

    /// <summary>10k, 100k and 1M faces, or the sizes in FACESERVICE_BENCH_GALLERY_SIZES (comma-separated).</summary>
    public static IEnumerable<int> GallerySizes() =>
        Environment.GetEnvironmentVariable("FACESERVICE_BENCH_GALLERY_SIZES") is { Length: > 0 } sizes
            ? sizes.Split(',').Select(int.Parse)
            : [10_000, 100_000, 1_000_000];

    /// <summary>Exact, QuantizedScan and Usearch, or those in FACESERVICE_BENCH_INDEXES (comma-separated).</summary>
    public static IEnumerable<string> Indexes() =>
        Environment.GetEnvironmentVariable("FACESERVICE_BENCH_INDEXES") is { Length: > 0 } indexes ? indexes.Split(',') : ["Exact", "QuantizedScan", "Usearch"];

    /// <summary>Both, or those in FACESERVICE_BENCH_DATA (comma-separated: uniform, faces).</summary>
    public static IEnumerable<SyntheticData> DataKinds() =>
        Environment.GetEnvironmentVariable("FACESERVICE_BENCH_DATA") is { Length: > 0 } kinds
            ? kinds.Split(',').Select(SyntheticGallery.Parse)
            : [SyntheticData.Uniform, SyntheticData.FaceModel];

    [GlobalSetup]
    public void Setup()
    {
        var gallery = SyntheticGallery.Create(Faces, Data);
        _index = CreateIndex(Index, Data, Faces);
        _index.Rebuild(gallery.Faces);
        _probes = gallery.GenuineProbes(256);
    }

    [Benchmark]
    public IReadOnlyList<SubjectMatch> Identify() => _index.Search(_probes[_next++ & 255], 5);

    [GlobalCleanup]
    public void Cleanup() => (_index as IDisposable)?.Dispose();

    public static IGalleryIndex CreateIndex(string kind, SyntheticData data, int faces) => kind switch
    {
        "Exact" => new ExactGalleryIndex(),
        "QuantizedScan" => new QuantizedScanGalleryIndex(),
        "Usearch" => new UsearchGalleryIndex(UsearchOptions(data, faces)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Exact, QuantizedScan or Usearch"),
    };

    /// <summary>
    /// The service's default USearch options unless overridden, persisted under artifacts/ in one folder per data kind,
    /// gallery size and build setting (a graph built with other settings is not reused).
    /// </summary>
    public static UsearchIndexOptions UsearchOptions(SyntheticData data, int faces, int? searchCandidates = null, int? expansionAdd = null, int? connectivity = null)
    {
        var defaults = new UsearchIndexOptions();
        var options = new UsearchIndexOptions
        {
            Connectivity = connectivity ?? defaults.Connectivity,
            ExpansionAdd = expansionAdd ?? defaults.ExpansionAdd,
            SearchCandidates = searchCandidates ?? defaults.SearchCandidates,
        };
        options.PersistPath = Path.Combine(RepoPaths.IndexCache, $"synthetic-{SyntheticGallery.NameOf(data)}-{faces}-m{options.Connectivity}-ea{options.ExpansionAdd}.usearch");
        return options;
    }
}
