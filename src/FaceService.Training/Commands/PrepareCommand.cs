using System.CommandLine;
using System.Text.Json;
using FaceService.Faces;
using FaceService.Faces.Alignment;
using FaceService.Faces.Detection;
using FaceService.Faces.Landmarks;
using FaceService.Training.Cli;
using FaceService.Training.Data;

namespace FaceService.Training.Commands;

/// <summary><c>facetrain prepare</c>: detect and align every training photo once and cache the HR crops.</summary>
public static class PrepareCommand
{
    public static Command Create()
    {
        var sources = new Option<string[]>("--source")
        {
            Description = "A folder of training photos (searched recursively), with an optional labels.tsv (file<TAB>identity). Repeat for several folders.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--out") { Description = "Cache folder.", DefaultValueFactory = _ => "artifacts/train-cache" };
        var size = new Option<int>("--size") { Description = "Side of the aligned HR crop: the teacher's input.", DefaultValueFactory = _ => 150 };
        var models = new Option<string>("--models") { Description = "Folder with face-detector.onnx and face-landmarks68.onnx.", DefaultValueFactory = _ => "models" };
        var threads = new Option<int>("--threads") { Description = "Photos analysed in parallel.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var limit = new Option<int>("--limit") { Description = "Use only the first N photos of each folder (0 = all), for a quick run.", DefaultValueFactory = _ => 0 };

        var command = new Command("prepare", "Detect and align every training photo once with the face pipeline; cache the aligned HR crops (uint8) and identity labels.")
        {
            sources, output, size, models, threads, limit,
        };
        command.SetAction(parse => Run(parse.GetValue(sources)!, parse.GetValue(output)!, parse.GetValue(size), parse.GetValue(models)!,
            parse.GetValue(threads), parse.GetValue(limit)));
        return command;
    }

    private static int Run(string[] sources, string output, int size, string models, int threads, int limit)
    {
        var images = sources
            .SelectMany(source => TrainingImageFolder.Scan(source) is var found && limit > 0 ? found.Take(limit) : found)
            .ToList();
        Console.WriteLine($"prepare: {images.Count} photos ({images.Count(i => i.Identity is not null)} labelled) from {sources.Length} folder(s) -> {output}");

        var options = new FaceAnalysisOptions
        {
            Detector = new TinyFaceDetectorOptions { ModelPath = Path.Combine(models, "face-detector.onnx") },
            Landmarks = new Landmark68Options { ModelPath = Path.Combine(models, "face-landmarks68.onnx") },
        };
        using var detector = new TinyFaceDetector(options.Detector);
        using var landmarker = new Landmark68Net(options.Landmarks);
        var analyzer = new FaceAnalyzer(new CascadeFaceDetector(detector, options.Cascade), landmarker, [new SimilarityWarpAligner()]);

        PreparationReport report;
        using (var writer = new CropCacheWriter(output, size))
            report = ConsoleProgress.Run("prepare", images.Count, progress => CropPreparation.Run(images, analyzer, options.Decode, writer, threads, progress));

        var skippedPath = Path.Combine(output, "skipped.tsv");
        File.WriteAllText(Path.Combine(output, "prepare.json"), JsonSerializer.Serialize(new
        {
            photos = report.Images,
            cached = report.Cached,
            skipped = report.Skipped.Count,
            seconds = report.Elapsed.TotalSeconds,
            msPerPhoto = report.Elapsed.TotalMilliseconds / Math.Max(1, report.Images),
            threads,
        }, new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllLines(skippedPath, ["reason\tsource", .. report.Skipped.Select(s => $"{s.Reason}\t{s.Path}")]);
        Console.WriteLine($"prepare: cached {report.Cached}/{report.Images} crops of {size}x{size} in {report.Elapsed:hh\\:mm\\:ss} " +
                          $"({report.Elapsed.TotalMilliseconds / Math.Max(1, report.Images):0.0} ms per photo); skipped {report.Skipped.Count} (listed in {skippedPath})");
        foreach (var group in report.Skipped.GroupBy(s => s.Reason.Split(':')[0]))
            Console.WriteLine($"  {group.Key}: {group.Count()}");
        return 0;
    }
}
