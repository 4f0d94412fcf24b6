using System.Diagnostics;
using System.Text.Json;
using FaceService.Gallery;
using FaceService.Gallery.QuantizedScan;
using FaceService.Gallery.Usearch;

namespace FaceService.Benchmarks;

/// <summary>One gallery size's measurements outside BenchmarkDotNet: index build and load times, recall and latency.</summary>
public sealed record RecallResult(
    string Data,
    int Faces,
    int Connectivity,
    int ExpansionAdd,
    double ExactBuildMs,
    double UsearchBuildMs,
    double UsearchLoadMs,
    double ExactP50Ms,
    IReadOnlyList<CandidateSetting> Usearch);

/// <summary>Recall@1 of USearch against exact search (same top subject), and its median latency, at one SearchCandidates.</summary>
public sealed record CandidateSetting(int SearchCandidates, double RecallGenuine, double RecallRandom, double P50Ms, double P99Ms);

/// <summary>
/// One gallery size's measurements of the quantized scan: its build time (fit, encode; it is rebuilt like this at
/// every start, there is no saved form to load), its code length, and recall and latency at several Candidates, with
/// exact search measured in the same run.
/// </summary>
public sealed record ScanRecallResult(
    string Data,
    int Faces,
    double RetainedVariance,
    int CodeLength,
    double ExactBuildMs,
    double BuildMs,
    double ExactP50Ms,
    double ExactP99Ms,
    IReadOnlyList<ScanCandidateSetting> Settings);

/// <summary>Recall@1 of the quantized scan against exact search, and its latency, at one Candidates.</summary>
public sealed record ScanCandidateSetting(int Candidates, double RecallGenuine, double RecallRandom, double P50Ms, double P99Ms);

/// <summary>
/// <c>recall [--index usearch|quantized-scan] [--data faces|uniform] [--sizes 10000,100000,1000000] [--probes 1000]
/// [--probe-seed 5] [--connectivity N] [--expansion-add N] [--retained-variance F] [--candidates 16,64,256,1024]</c>:
/// builds each synthetic gallery (<see cref="SyntheticGallery"/>; the default data is <c>faces</c>, the fitted face-embedding
/// model, and <c>uniform</c> is the worst case) exactly and with the approximate index, and reports recall@1 against
/// exact search for genuine and random probes at several search widths, with per-query latency from a plain stopwatch.
/// USearch: the build is timed with its save, then a load of the saved graph, at several SearchCandidates; writes
/// benchmarks/results/recall.json. The quantized scan: the build (its only start-up path) at several Candidates;
/// writes benchmarks/results/recall-quantized-scan.json. <c>--out FILE</c> writes elsewhere; entries of the same data,
/// size and build settings are replaced. <c>--probe-seed</c> draws another probe set (genuine probes from the seed,
/// random ones from the seed + 1), so settings can be chosen on probes other than the reported ones.
/// </summary>
public static class RecallCommand
{
    private static readonly int[] CandidateSettings = [64, 128, 256, 512, 1024];
    private static readonly int[] ScanCandidateSettings = [16, 64, 256, 1024];

    public static int Run(string[] args) => (Option(args, "--index") ?? "usearch") switch
    {
        "usearch" => RunUsearch(args),
        "quantized-scan" => RunQuantizedScan(args),
        var other => throw new ArgumentException($"Unknown index '{other}': usearch or quantized-scan."),
    };

    private static int RunUsearch(string[] args)
    {
        var sizes = Sizes(args);
        int? expansionAdd = Option(args, "--expansion-add") is { } e ? int.Parse(e) : null;
        int? connectivity = Option(args, "--connectivity") is { } m ? int.Parse(m) : null;
        var data = SyntheticGallery.Parse(Option(args, "--data") ?? "faces");
        var results = new List<RecallResult>();
        foreach (var size in sizes)
        {
            var (gallery, genuine, random) = Generate(args, size, data);
            var (exactBuildMs, exactGenuine, exactRandom, exactLatencies) = MeasureExact(gallery, genuine, random);

            var options = GallerySearchBenchmarks.UsearchOptions(data, size, expansionAdd: expansionAdd, connectivity: connectivity);
            var cache = options.PersistPath!;
            if (Directory.Exists(cache))
                Directory.Delete(cache, recursive: true);
            double buildMs, loadMs;
            using (var built = new UsearchGalleryIndex(options))
            {
                built.Rebuild(gallery.Faces);
                buildMs = built.LastStartup!.Elapsed.TotalMilliseconds;
            }
            Console.WriteLine($"recall: USearch graph of {size:N0} faces built and saved in {buildMs / 1000:F1} s");
            using (var loaded = new UsearchGalleryIndex(options))
            {
                loaded.Rebuild(gallery.Faces);
                if (!loaded.LastStartup!.LoadedFromFile)
                    throw new InvalidOperationException($"The saved index was not loaded: {loaded.LastStartup.RebuildReason}");
                loadMs = loaded.LastStartup.Elapsed.TotalMilliseconds;
            }

            var settings = new List<CandidateSetting>();
            foreach (var candidates in CandidateSettings)
            {
                using var index = new UsearchGalleryIndex(GallerySearchBenchmarks.UsearchOptions(data, size, candidates, expansionAdd, connectivity));
                index.Rebuild(gallery.Faces);
                var (approximateGenuine, latencies) = TopSubjects(index, genuine);
                var (approximateRandom, _) = TopSubjects(index, random);
                settings.Add(new CandidateSetting(candidates,
                    Agreement(exactGenuine, approximateGenuine), Agreement(exactRandom, approximateRandom),
                    Percentile(latencies, 0.50), Percentile(latencies, 0.99)));
                Console.WriteLine(JsonSerializer.Serialize(settings[^1]));
            }

            var result = new RecallResult(SyntheticGallery.NameOf(data), size, options.Connectivity, options.ExpansionAdd, exactBuildMs, buildMs, loadMs, Percentile(exactLatencies, 0.50), settings);
            results.Add(result);
            Console.WriteLine(JsonSerializer.Serialize(result));
        }

        // The file keeps one entry per data, gallery size and build setting, so they can be measured in separate runs.
        var path = Option(args, "--out") ?? Path.Combine(RepoPaths.Results, "recall.json");
        Merge(path, results, (x, y) => x.Data == y.Data && x.Faces == y.Faces && x.Connectivity == y.Connectivity && x.ExpansionAdd == y.ExpansionAdd,
            all => all.OrderBy(r => r.Data, StringComparer.Ordinal).ThenBy(r => r.Faces).ThenBy(r => r.Connectivity).ThenBy(r => r.ExpansionAdd));
        return 0;
    }

    private static int RunQuantizedScan(string[] args)
    {
        var sizes = Sizes(args);
        var defaults = new QuantizedScanOptions();
        var retainedVariance = Option(args, "--retained-variance") is { } v ? double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : defaults.RetainedVariance;
        var candidateSettings = Option(args, "--candidates")?.Split(',').Select(int.Parse).ToArray() ?? ScanCandidateSettings;
        var data = SyntheticGallery.Parse(Option(args, "--data") ?? "faces");
        var results = new List<ScanRecallResult>();
        foreach (var size in sizes)
        {
            var (gallery, genuine, random) = Generate(args, size, data);
            var (exactBuildMs, exactGenuine, exactRandom, exactLatencies) = MeasureExact(gallery, genuine, random);

            var settings = new List<ScanCandidateSetting>();
            double buildMs = 0;
            var codeLength = 0;
            foreach (var candidates in candidateSettings)
            {
                using var index = new QuantizedScanGalleryIndex(new QuantizedScanOptions { RetainedVariance = retainedVariance, Candidates = candidates });
                index.Rebuild(gallery.Faces);
                if (settings.Count == 0)
                {
                    buildMs = index.LastStartup!.Elapsed.TotalMilliseconds;
                    codeLength = index.LastStartup.CodeLengthOfModel[SyntheticGallery.ModelId];
                    Console.WriteLine($"recall: quantized scan of {size:N0} faces built in {buildMs / 1000:F1} s ({codeLength} bytes a face)");
                }
                var (approximateGenuine, latencies) = TopSubjects(index, genuine);
                var (approximateRandom, _) = TopSubjects(index, random);
                settings.Add(new ScanCandidateSetting(candidates,
                    Agreement(exactGenuine, approximateGenuine), Agreement(exactRandom, approximateRandom),
                    Percentile(latencies, 0.50), Percentile(latencies, 0.99)));
                Console.WriteLine(JsonSerializer.Serialize(settings[^1]));
            }

            var result = new ScanRecallResult(SyntheticGallery.NameOf(data), size, retainedVariance, codeLength, exactBuildMs, buildMs,
                Percentile(exactLatencies, 0.50), Percentile(exactLatencies, 0.99), settings);
            results.Add(result);
            Console.WriteLine(JsonSerializer.Serialize(result));
        }

        var path = Option(args, "--out") ?? Path.Combine(RepoPaths.Results, "recall-quantized-scan.json");
        Merge(path, results, (x, y) => x.Data == y.Data && x.Faces == y.Faces && x.RetainedVariance == y.RetainedVariance,
            all => all.OrderBy(r => r.Data, StringComparer.Ordinal).ThenBy(r => r.Faces).ThenBy(r => r.RetainedVariance));
        return 0;
    }

    private static int[] Sizes(string[] args) => Option(args, "--sizes")?.Split(',').Select(int.Parse).ToArray() ?? [10_000, 100_000, 1_000_000];

    private static (SyntheticGallery Gallery, ModelEmbedding[] Genuine, ModelEmbedding[] Random) Generate(string[] args, int size, SyntheticData data)
    {
        var probeCount = Option(args, "--probes") is { } p ? int.Parse(p) : 1000;
        var probeSeed = Option(args, "--probe-seed") is { } s ? int.Parse(s) : 5;
        var stopwatch = Stopwatch.StartNew();
        var gallery = SyntheticGallery.Create(size, data);
        var genuine = gallery.GenuineProbes(probeCount, probeSeed);
        var random = gallery.RandomProbes(probeCount, probeSeed + 1);
        Console.WriteLine($"recall: {SyntheticGallery.NameOf(data)} gallery of {size:N0} faces generated in {stopwatch.Elapsed.TotalSeconds:F1} s");
        return (gallery, genuine, random);
    }

    private static (double BuildMs, string[] Genuine, string[] Random, double[] LatenciesMs) MeasureExact(SyntheticGallery gallery, ModelEmbedding[] genuine, ModelEmbedding[] random)
    {
        var stopwatch = Stopwatch.StartNew();
        using var exact = new ExactGalleryIndex();
        exact.Rebuild(gallery.Faces);
        var buildMs = stopwatch.Elapsed.TotalMilliseconds;
        var (exactGenuine, latencies) = TopSubjects(exact, genuine);
        var (exactRandom, _) = TopSubjects(exact, random);
        return (buildMs, exactGenuine, exactRandom, latencies);
    }

    /// <summary>Writes <paramref name="results"/> to the JSON list at <paramref name="path"/>, replacing the entries of the same setting.</summary>
    private static void Merge<T>(string path, List<T> results, Func<T, T, bool> sameSetting, Func<IEnumerable<T>, IEnumerable<T>> order)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var all = results.ToList();
        if (File.Exists(path))
            all.AddRange(JsonSerializer.Deserialize<List<T>>(File.ReadAllText(path))!.Where(old => results.All(r => !sameSetting(r, old))));
        File.WriteAllText(path, JsonSerializer.Serialize(order(all).ToList(), new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"recall: wrote {path}");
    }

    private static (string[] TopSubject, double[] LatenciesMs) TopSubjects(IGalleryIndex index, ModelEmbedding[] probes)
    {
        var top = new string[probes.Length];
        var latencies = new double[probes.Length];
        for (var i = 0; i < probes.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            top[i] = index.Search(probes[i], 5)[0].SubjectId;
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return (top, latencies);
    }

    private static double Agreement(string[] exact, string[] approximate) =>
        exact.Zip(approximate).Count(pair => pair.First == pair.Second) / (double)exact.Length;

    public static double Percentile(IReadOnlyCollection<double> values, double quantile)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
    }

    public static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
