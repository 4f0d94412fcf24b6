using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using FaceService.Embeddings;
using FaceService.Training.Cli;
using FaceService.Training.Data;

namespace FaceService.Training.Commands;

/// <summary><c>facetrain targets</c>: the teacher's embeddings of every cached HR crop and its mirror, once.</summary>
public static class TargetsCommand
{
    public static Command Create()
    {
        var cache = new Option<string>("--cache") { Description = "Crop cache made by prepare.", DefaultValueFactory = _ => "artifacts/train-cache" };
        var teacher = new Option<string>("--teacher") { Description = "Teacher ONNX file (its model card beside it).", DefaultValueFactory = _ => "models/teacher-dlib-resnet.onnx" };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var batch = new Option<int>("--batch") { Description = "Crops per inference (each with its mirror).", DefaultValueFactory = _ => 16 };

        var command = new Command("targets", "Compute the teacher's embeddings of the cached HR crops and of their mirror images, once, into the cache.")
        {
            cache, teacher, threads, batch,
        };
        command.SetAction(parse => CommandErrors.Run("targets", () => Run(parse.GetValue(cache)!, parse.GetValue(teacher)!, parse.GetValue(threads), parse.GetValue(batch))));
        return command;
    }

    private static int Run(string cacheDirectory, string teacherPath, int threads, int batchSize)
    {
        using var crops = CropCache.Open(cacheDirectory);
        using var teacher = new OnnxFaceEmbedder(new EmbedderOptions { ModelPath = teacherPath, MaxBatchSize = 2 * batchSize, IntraOpThreads = threads });
        if (teacher.Model.InputSize != crops.CropSize)
            throw new InvalidOperationException($"{teacher.Model.Id} takes {teacher.Model.InputSize} px faces; the cache holds {crops.CropSize} px crops.");
        Console.WriteLine($"targets: {teacher.Model.Id} on {crops.Count} crops and their mirrors");

        var clock = Stopwatch.StartNew();
        var (highResolution, mirrored) = ConsoleProgress.Run("targets", crops.Count,
            progress => TeacherTargets.Compute(crops, teacher.EmbedRaw, batchSize, progress));
        var path = TeacherTargets.PathIn(cacheDirectory);
        TeacherTargets.Save(path, highResolution, mirrored);
        var elapsed = clock.Elapsed;

        File.WriteAllText(Path.ChangeExtension(path, ".json"), JsonSerializer.Serialize(new
        {
            teacher = teacher.Model.Id,
            model = teacherPath,
            crops = crops.Count,
            dimension = teacher.Model.Dimension,
            seconds = elapsed.TotalSeconds,
            msPerCrop = elapsed.TotalMilliseconds / crops.Count,
        }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"targets: wrote {path} in {elapsed:hh\\:mm\\:ss} ({elapsed.TotalMilliseconds / crops.Count:0.0} ms per crop incl. mirror)");
        return 0;
    }
}
