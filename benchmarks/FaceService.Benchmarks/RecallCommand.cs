using System.Diagnostics;
using System.Text.Json;
using FaceService.Gallery;
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
/// <c>recall [--data faces|uniform] [--sizes 10000,100000,1000000] [--probes 1000] [--connectivity N] [--expansion-add N]</c>:
/// builds each synthetic gallery (<see cref="SyntheticGallery"/>; the default data is <c>faces</c>, the fitted face-embedding
/// model, and <c>uniform</c> is the worst case) exactly and with USearch (timing the build with its save, then a load
/// of the saved graph), and reports recall@1 against exact search for genuine and random probes at several
/// SearchCandidates, with per-query latency from a plain stopwatch. Writes benchmarks/results/recall.json, or
/// <c>--out FILE</c>, replacing the entries of the same data, size and build settings.
/// </summary>
public static class RecallCommand
{
    private static readonly int[] CandidateSettings = [64, 128, 256, 512, 1024];

    public static int Run(string[] args)
    {
        var sizes = Option(args, "--sizes")?.Split(',').Select(int.Parse).ToArray() ?? [10_000, 100_000, 1_000_000];
        var probeCount = Option(args, "--probes") is { } p ? int.Parse(p) : 1000;
        int? expansionAdd = Option(args, "--expansion-add") is { } e ? int.Parse(e) : null;
        int? connectivity = Option(args, "--connectivity") is { } m ? int.Parse(m) : null;
        var data = SyntheticGallery.Parse(Option(args, "--data") ?? "faces");
        var results = new List<RecallResult>();
        foreach (var size in sizes)
        {
            var stopwatch = Stopwatch.StartNew();
            var gallery = SyntheticGallery.Create(size, data);
            var genuine = gallery.GenuineProbes(probeCount);
            var random = gallery.RandomProbes(probeCount);
            Console.WriteLine($"recall: {SyntheticGallery.NameOf(data)} gallery of {size:N0} faces generated in {stopwatch.Elapsed.TotalSeconds:F1} s");

            stopwatch.Restart();
            using var exact = new ExactGalleryIndex();
            exact.Rebuild(gallery.Faces);
            var exactBuildMs = stopwatch.Elapsed.TotalMilliseconds;
            var (exactGenuine, exactLatencies) = TopSubjects(exact, genuine);
            var (exactRandom, _) = TopSubjects(exact, random);

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
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (File.Exists(path))
            results.AddRange(JsonSerializer.Deserialize<List<RecallResult>>(File.ReadAllText(path))!.Where(old => results.All(r => !SameSetting(r, old))));
        results = results.OrderBy(r => r.Data, StringComparer.Ordinal).ThenBy(r => r.Faces).ThenBy(r => r.Connectivity).ThenBy(r => r.ExpansionAdd).ToList();
        File.WriteAllText(path, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"recall: wrote {path}");
        return 0;
    }

    private static bool SameSetting(RecallResult x, RecallResult y) =>
        x.Data == y.Data && x.Faces == y.Faces && x.Connectivity == y.Connectivity && x.ExpansionAdd == y.ExpansionAdd;

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
