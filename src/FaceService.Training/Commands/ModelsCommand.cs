using System.CommandLine;
using System.Diagnostics;
using FaceService.Nets.Acquisition;
using Spectre.Console;

namespace FaceService.Training.Commands;

/// <summary>
/// <c>facetrain models</c>: fetch the pinned face-api npm package, verify it, and convert its nets into models/.
/// Idempotent: a second run with nothing changed returns at once.
/// </summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var modelsDir = new Option<DirectoryInfo>("--models-dir")
        {
            Description = "Models directory (holds face-api.sha256; receives the ONNX files). Default: <repo>/models.",
            DefaultValueFactory = _ => new DirectoryInfo(DefaultModelsDirectory()),
        };
        var force = new Option<bool>("--force") { Description = "Fetch, verify and convert again even if up to date." };

        var command = new Command("models",
            $"Fetch {FaceApiPackage.Spec} with npm, check its pinned SHA-256s and convert the detector, landmark and teacher nets to ONNX.")
        {
            modelsDir,
            force,
        };
        command.SetAction(parse => Run(new ModelAcquisitionOptions(parse.GetValue(modelsDir)!.FullName) { Force = parse.GetValue(force) }));
        return command;
    }

    private static int Run(ModelAcquisitionOptions options)
    {
        var clock = Stopwatch.StartNew();
        var progress = new SynchronousProgress(message => AnsiConsole.MarkupLineInterpolated($"[grey]{clock.Elapsed:mm\\:ss}[/] {message}"));
        try
        {
            var outcome = ModelAcquisition.Run(options, progress);
            AnsiConsole.MarkupLineInterpolated($"[green]{(outcome == ModelAcquisitionOutcome.UpToDate ? "up to date" : "done")}[/] in {clock.Elapsed.TotalSeconds:F1} s");
            return 0;
        }
        catch (ModelAcquisitionException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
    }

    /// <summary>The repository's models/ (found by walking up to FaceService.sln), else ./models.</summary>
    private static string DefaultModelsDirectory()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FaceService.sln")))
                return Path.Combine(dir.FullName, "models");
        return Path.Combine(Environment.CurrentDirectory, "models");
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
