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
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted cache: photos already cached or skipped are not analysed again." };

        var command = new Command("prepare", "Detect and align every training photo once with the face pipeline; cache the aligned HR crops (uint8) and identity labels.")
        {
            sources, output, size, models, threads, limit, resume,
        };
        command.SetAction(parse => CommandErrors.Run("prepare", () => Run(parse.GetValue(sources)!, parse.GetValue(output)!, parse.GetValue(size), parse.GetValue(models)!,
            parse.GetValue(threads), parse.GetValue(limit), parse.GetValue(resume))));
        return command;
    }

    private static int Run(string[] sources, string output, int size, string models, int threads, int limit, bool resume)
    {
        var images = sources
            .SelectMany(source => TrainingImageFolder.Scan(source) is var found && limit > 0 ? found.Take(limit) : found)
            .ToList();
        Console.WriteLine($"prepare: {images.Count} photos ({images.Count(i => i.Identity is not null)} labelled) from {sources.Length} folder(s) -> {output}");
        if (!resume && File.Exists(Path.Combine(output, CropCache.IndexFileName)))
            throw new InvalidOperationException($"{output} already holds a crop cache: pass --resume to continue it, or delete it.");
        using var writer = resume ? CropCacheWriter.Resume(output, size) : CropCacheWriter.Create(output, size);
        if (writer.Done.Count > 0)
        {
            images = images.Where(i => !writer.Done.Contains(i.Path)).ToList();
            Console.WriteLine($"prepare: resuming; {writer.Count} crops cached and {writer.SkippedCount} photos skipped before, {images.Count} photos to go");
        }

        var options = new FaceAnalysisOptions
        {
            Detector = new TinyFaceDetectorOptions { ModelPath = Path.Combine(models, "face-detector.onnx") },
            Landmarks = new Landmark68Options { ModelPath = Path.Combine(models, "face-landmarks68.onnx") },
        };
        using var detector = new ConfiguredFaceDetector(options);
        using var landmarker = new Landmark68Net(options.Landmarks);
        var analyzer = new FaceAnalyzer(detector, landmarker, [new SimilarityWarpAligner()]);

        var report = ConsoleProgress.Run("prepare", images.Count, progress => CropPreparation.Run(images, analyzer, options.Decode, writer, threads, progress));

        // Timing of this run (per photo, so a resumed run still reports the true rate); counts of the whole cache.
        File.WriteAllText(Path.Combine(output, "prepare.json"), JsonSerializer.Serialize(new
        {
            photosThisRun = report.Images,
            cachedTotal = writer.Count,
            skippedTotal = writer.SkippedCount,
            seconds = report.Elapsed.TotalSeconds,
            msPerPhoto = report.Elapsed.TotalMilliseconds / Math.Max(1, report.Images),
            threads,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"prepare: cached {report.Cached} of {report.Images} photos as {size}x{size} crops in {report.Elapsed:hh\\:mm\\:ss} " +
                          $"({report.Elapsed.TotalMilliseconds / Math.Max(1, report.Images):0.0} ms per photo); cache now {writer.Count} crops, " +
                          $"{writer.SkippedCount} photos skipped (listed in {Path.Combine(output, CropCacheWriter.SkippedFileName)})");
        foreach (var (reason, count) in report.SkippedByReason)
            Console.WriteLine($"  {reason}: {count}");
        return 0;
    }
}
