using System.CommandLine;
using System.Globalization;
using FaceService.Embeddings;
using FaceService.Evaluation.Lfw;
using FaceService.Evaluation.Reports;
using FaceService.Faces;
using FaceService.Faces.Alignment;
using FaceService.Faces.Detection;
using FaceService.Faces.Imaging;
using FaceService.Faces.Landmarks;
using Spectre.Console;

namespace FaceService.Training.Commands;

/// <summary>
/// <c>facetrain eval</c>: LFW View 2 (10-fold accuracy, TAR@FAR, ROC) for any ONNX embedder, at HR and at low
/// resolutions, both LR-LR and HR-LR; writes JSON, a markdown table and PNG plots. With <c>--gallery-model</c>, the
/// HR image of each pair is embedded by that model and the other by <c>--model</c> (cross-model HR-LR). With
/// <c>--low-resolution-model</c>, the embedder is the resolution-routed pair the service builds from the same
/// <see cref="EmbedderOptions"/>. <c>facetrain eval compare</c> puts several reports on shared plots.
/// </summary>
public static class EvalCommand
{
    private static readonly int[] AllSizes = [32, 24, 16, 12, 8];

    public static Command Create()
    {
        var model = new Option<FileInfo>("--model")
        {
            Description = "ONNX embedder; its model card (name.json) sits beside it.",
            Required = true,
        };
        var galleryModel = new Option<FileInfo?>("--gallery-model")
        {
            Description = "Cross-model: this ONNX embedder (e.g. the teacher) embeds the HR image of each pair, at its own card's input size and " +
                          "alignment, and --model embeds the other (the probe). Needs the same embedding dimension; only HR-LR runs.",
        };
        var lowResolutionModel = new Option<FileInfo?>("--low-resolution-model")
        {
            Description = "A low-resolution expert in --model's embedding space (Embedder:LowResolutionModelPath in the service): faces below " +
                          "--low-resolution-below source pixels go to it, the rest to --model. Not with --gallery-model.",
        };
        var lowResolutionBelow = new Option<int>("--low-resolution-below")
        {
            Description = "The routing boundary in source pixels (Embedder:LowResolutionBelowPixels): a degraded size below it goes to --low-resolution-model.",
            DefaultValueFactory = _ => new EmbedderOptions().LowResolutionBelowPixels,
        };
        var lfw = new Option<DirectoryInfo>("--lfw")
        {
            Description = "LFW folder holding lfw-deepfunneled/ and pairs.txt (e.g. ../shared/datasets/lfw).",
            Required = true,
        };
        var pairs = new Option<FileInfo?>("--pairs") { Description = "View-2 pairs file. Default: <lfw>/pairs.txt." };
        var alignment = new Option<string?>("--alignment")
        {
            Description = "Comma-separated alignments to evaluate (SimilarityWarp, FaceApiCrop); detection runs once for all. Default: the model card's.",
        };
        var warpTemplate = new Option<string>("--warp-template")
        {
            Description = $"The SimilarityWarp aligner's template: {string.Join(", ", FaceTemplate.All.Select(t => t.Name))}.",
            DefaultValueFactory = _ => FaceTemplate.Default.Name,
        };
        var resolutions = new Option<string>("--resolutions")
        {
            Description = "Comma-separated: hr and/or pixel sizes. HR is always evaluated.",
            DefaultValueFactory = _ => "hr,32,24,16,12,8",
        };
        var protocols = new Option<string?>("--protocols")
        {
            Description = "Comma-separated low-resolution protocols: lr-lr (both degraded), hr-lr (second degraded). " +
                          "Default: lr-lr,hr-lr; with --gallery-model hr-lr only.",
        };
        var limitFolds = new Option<int?>("--limit-folds")
        {
            Description = "Use only the first N folds (N >= 2): a quick run, labelled as not the full protocol.",
        };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder. Default: artifacts/eval/<model> (<model>-probing-<gallery model> with --gallery-model, <model>-routed-<expert>-below-<px>px with --low-resolution-model)." };
        var writeOperatingPoints = new Option<bool>("--write-operating-points")
        {
            Description = "Write the HR thresholds at FAR 1e-3 and 1e-2 over all pairs into the model card (full protocol, card's alignment only).",
        };
        var threads = new Option<int>("--threads")
        {
            Description = "ONNX Runtime threads of the embedder.",
            DefaultValueFactory = _ => 2,
        };
        var workers = new Option<int>("--detection-workers")
        {
            Description = "Images detected and aligned in parallel.",
            DefaultValueFactory = _ => 2,
        };
        var refinementPasses = new Option<int>("--landmark-refinement-passes")
        {
            Description = "Landmark passes re-framed around the previous landmarks (Faces:Landmarks:RefinementPasses). Default: the pipeline's.",
            DefaultValueFactory = _ => new Landmark68Options().RefinementPasses,
        };
        var detector = new Option<string>("--detector")
        {
            Description = "Primary face detector: tiny (the tiny face detector) or ssd (SSD MobileNetV1); the cascade's fallbacks always run on the tiny detector.",
            DefaultValueFactory = _ => "tiny",
        };
        var mirrorAveraging = new Option<bool>("--mirror-averaging")
        {
            Description = "Embed every face and its mirror image and average them (Embedder:MirrorAveraging in the service); applies to --gallery-model too.",
        };
        var batch = new Option<int>("--batch-size")
        {
            Description = "Faces per embedder inference.",
            DefaultValueFactory = _ => 32,
        };

        var command = new Command("eval", "LFW View-2 verification of an ONNX embedder at HR and low resolutions (LR-LR, HR-LR): JSON, markdown table, PNG plots.")
        {
            model, galleryModel, lowResolutionModel, lowResolutionBelow, lfw, pairs, alignment, warpTemplate, resolutions, protocols, limitFolds, output, writeOperatingPoints, threads, workers, batch, refinementPasses, detector, mirrorAveraging,
        };
        command.SetAction(parse =>
        {
            try
            {
                var modelFile = parse.GetValue(model)!;
                var galleryFile = parse.GetValue(galleryModel);
                var expertFile = parse.GetValue(lowResolutionModel);
                var belowPixels = parse.GetValue(lowResolutionBelow);
                var lfwDirectory = parse.GetValue(lfw)!;
                var mirrored = parse.GetValue(mirrorAveraging);
                var defaultOutput = Path.GetFileNameWithoutExtension(modelFile.Name) +
                                    (galleryFile is null ? "" : "-probing-" + Path.GetFileNameWithoutExtension(galleryFile.Name)) +
                                    (expertFile is null ? "" : $"-routed-{Path.GetFileNameWithoutExtension(expertFile.Name)}-below-{belowPixels}px") +
                                    (mirrored ? "-mirror-averaged" : "");
                return Run(new EvalSettings(
                    modelFile,
                    galleryFile,
                    expertFile,
                    belowPixels,
                    lfwDirectory,
                    parse.GetValue(pairs) ?? new FileInfo(Path.Combine(lfwDirectory.FullName, "pairs.txt")),
                    ParseAlignments(parse.GetValue(alignment)),
                    FaceTemplate.Parse(parse.GetValue(warpTemplate)!),
                    ParseSizes(parse.GetValue(resolutions)!),
                    ResolveProtocols(parse.GetValue(protocols), crossModel: galleryFile is not null),
                    parse.GetValue(limitFolds),
                    parse.GetValue(output) ?? new DirectoryInfo(Path.Combine("artifacts", "eval", defaultOutput)),
                    parse.GetValue(writeOperatingPoints),
                    parse.GetValue(threads),
                    parse.GetValue(workers),
                    parse.GetValue(batch),
                    parse.GetValue(refinementPasses),
                    ParseDetector(parse.GetValue(detector)!),
                    mirrored));
            }
            catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidDataException or ImageDecodeException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return 1;
            }
        });
        command.Subcommands.Add(CreateCompare());
        return command;
    }

    private sealed record EvalSettings(
        FileInfo Model, FileInfo? GalleryModel, FileInfo? LowResolutionModel, int LowResolutionBelowPixels, DirectoryInfo Lfw, FileInfo Pairs, IReadOnlyList<AlignmentKind>? Alignments, FaceTemplate WarpTemplate, IReadOnlyList<int> Sizes,
        IReadOnlyList<PairProtocol> Protocols, int? LimitFolds, DirectoryInfo Output, bool WriteOperatingPoints,
        int Threads, int DetectionWorkers, int BatchSize, int LandmarkRefinementPasses, DetectorKind Detector, bool MirrorAveraging);

    private static int Run(EvalSettings settings)
    {
        if (!settings.Model.Exists)
            throw new FileNotFoundException($"{settings.Model.FullName} is missing: run `make models`.");
        if (settings.GalleryModel is { Exists: false } missingGallery)
            throw new FileNotFoundException($"{missingGallery.FullName} (--gallery-model) is missing: run `make models`.");
        if (settings.LowResolutionModel is { Exists: false } missingExpert)
            throw new FileNotFoundException($"{missingExpert.FullName} (--low-resolution-model) is missing.");
        if (settings.LowResolutionModel is not null && settings.GalleryModel is not null)
            throw new ArgumentException("--low-resolution-model routes the probes as the service would, and the service never compares a routed pair's " +
                                        "embeddings with another model's gallery: drop --gallery-model, or evaluate the pair on its own.");
        if (settings.LowResolutionModel is not null && settings.WriteOperatingPoints)
            throw new ArgumentException("--write-operating-points writes one model's own thresholds into its card, and a routed pair is not one model: drop --low-resolution-model.");
        if (settings.GalleryModel is not null && settings.WriteOperatingPoints)
            throw new ArgumentException("--write-operating-points measures one model's own thresholds: drop --gallery-model.");
        if (settings.MirrorAveraging && settings.WriteOperatingPoints)
            throw new ArgumentException("--write-operating-points writes the card's thresholds, which hold for the model as the service runs it by default: drop --mirror-averaging.");
        var imageRoot = Path.Combine(settings.Lfw.FullName, "lfw-deepfunneled");
        if (!Directory.Exists(imageRoot))
            throw new DirectoryNotFoundException($"{imageRoot} is missing: --lfw must hold lfw-deepfunneled/ and pairs.txt.");

        var allPairs = LfwPairsParser.Load(settings.Pairs.FullName);
        if (settings.LimitFolds is < 2 || settings.LimitFolds > allPairs.FoldCount)
            throw new ArgumentException($"--limit-folds must lie in 2..{allPairs.FoldCount}: cross-validation needs at least two folds.");
        var pairs = settings.LimitFolds is { } n ? allPairs.TakeFolds(n) : allPairs;

        var modelsDirectory = settings.Model.DirectoryName!;
        // Probe and gallery model run alike: the same threads, batch and mirror averaging; only the probes may be routed.
        EmbedderOptions OptionsFor(FileInfo model, FileInfo? lowResolutionModel = null) => new()
        {
            ModelPath = model.FullName, IntraOpThreads = settings.Threads, MaxBatchSize = settings.BatchSize,
            MirrorAveraging = settings.MirrorAveraging,
            LowResolutionModelPath = lowResolutionModel?.FullName, LowResolutionBelowPixels = settings.LowResolutionBelowPixels,
        };
        using var embedder = new ConfiguredEmbedder(OptionsFor(settings.Model, settings.LowResolutionModel));
        using var gallery = settings.GalleryModel is null ? null : new ConfiguredEmbedder(OptionsFor(settings.GalleryModel));
        var alignments = settings.Alignments ?? [embedder.Embedder.Model.Alignment];
        var faceOptions = new FaceAnalysisOptions
        {
            DetectorKind = settings.Detector,
            Detector = { ModelPath = Path.Combine(modelsDirectory, "face-detector.onnx") },
            SsdDetector = { ModelPath = Path.Combine(modelsDirectory, "face-detector-ssd.onnx") },
            Landmarks =
            {
                ModelPath = Path.Combine(modelsDirectory, "face-landmarks68.onnx"),
                RefinementPasses = settings.LandmarkRefinementPasses,
            },
        };
        using var detector = new ConfiguredFaceDetector(faceOptions);
        using var landmarker = new Landmark68Net(faceOptions.Landmarks);
        IFaceAligner[] aligners = [new SimilarityWarpAligner(settings.WarpTemplate), new FaceApiCropAligner()];
        var analyzer = new FaceAnalyzer(detector, landmarker, aligners);
        var evaluation = new LfwEvaluation(analyzer, aligners, embedder.Embedder,
            image => ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(imageRoot, image)), faceOptions.Decode),
            gallery?.Embedder);

        var scope = settings.LimitFolds is { } limit
            ? $"[yellow]QUICK RUN, NOT THE FULL PROTOCOL: {limit} of {allPairs.FoldCount} folds[/]"
            : $"all {allPairs.FoldCount} folds";
        AnsiConsole.MarkupLine($"LFW View 2, {scope}: {pairs.Pairs.Count} pairs, {pairs.DistinctImages().Count} images; " +
                               $"model {Markup.Escape(embedder.Embedder.Model.Id)}; detector {settings.Detector}; alignment {string.Join(", ", alignments)} (warp template {settings.WarpTemplate.Name}); " +
                               $"HR + {(settings.Sizes.Count == 0 ? "no LR" : string.Join("/", settings.Sizes) + " px")}" +
                               (settings.MirrorAveraging ? "; every face averaged with its mirror image" : "") +
                               (embedder.LowResolutionModel is { } expert
                                   ? $"; faces below {settings.LowResolutionBelowPixels} px routed to {Markup.Escape(expert.Model.Id)}"
                                   : ""));
        if (gallery is not null)
        {
            AnsiConsole.Markup("[yellow]cross-model:[/] ");
            AnsiConsole.WriteLine(
                $"gallery {gallery.Embedder.Model.Id} ({gallery.Embedder.Model.InputSize} px, {gallery.Embedder.Model.Alignment}) embeds the HR image of each pair, " +
                $"probes {embedder.Embedder.Model.Id} ({embedder.Embedder.Model.InputSize} px) the other. Only HR-LR runs: LR-LR would compare two probe images.");
        }

        var commandLine = "facetrain " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1));
        var expertReport = embedder.LowResolutionModel is { } lowResolution
            ? new LfwLowResolutionModel(lowResolution.Model.Id, settings.LowResolutionModel!.ToString(), settings.LowResolutionBelowPixels)
            : null;
        var runs = RunWithProgress(evaluation, pairs, allPairs.FoldCount, settings, imageRoot, alignments, commandLine, expertReport);
        var reports = runs.Select(r => r.Report).ToList();

        var written = new List<string>();
        foreach (var run in runs)
        {
            var directory = runs.Count == 1 ? settings.Output.FullName : Path.Combine(settings.Output.FullName, run.Report.Alignment.ToString());
            written.AddRange(LfwReportWriter.WriteAll(run, directory));
            PrintSummary(run.Report);
        }
        if (reports.Count > 1)
            written.AddRange(LfwReportWriter.WriteComparison(reports, settings.Output.FullName));
        foreach (var file in written)
            AnsiConsole.MarkupLineInterpolated($"[grey]wrote[/] {file}");

        if (settings.WriteOperatingPoints)
            WriteOperatingPoints(settings.Model.FullName, embedder.GeneralModel.Model, reports);
        return 0;
    }

    private static IReadOnlyList<LfwRun> RunWithProgress(
        LfwEvaluation evaluation, LfwPairList pairs, int foldsInFile, EvalSettings settings, string imageRoot,
        IReadOnlyList<AlignmentKind> alignments, string commandLine, LfwLowResolutionModel? lowResolutionModel)
    {
        var options = new LfwEvaluationOptions(alignments, settings.Sizes, settings.Protocols, ChunkSize: 4 * settings.BatchSize,
            DetectionWorkers: settings.DetectionWorkers);
        var interactive = AnsiConsole.Profile.Capabilities.Interactive;
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var tasks = new Dictionary<string, ProgressTask>
                {
                    [LfwEvaluation.DetectPhase] = context.AddTask(LfwEvaluation.DetectPhase, maxValue: pairs.DistinctImages().Count),
                    [LfwEvaluation.EmbedPhase] = context.AddTask(LfwEvaluation.EmbedPhase, maxValue: 1),
                };
                var logged = new Dictionary<string, int>();
                var progress = new SynchronousProgress<LfwProgress>(p =>
                {
                    var task = tasks[p.Phase];
                    task.MaxValue = p.Total;
                    task.Value = p.Done;
                    // A log file gets no live bar: print a line every 5 % instead, with the bar's own ETA.
                    lock (logged)
                        if (!interactive && p.Done * 20 / p.Total is var step && step > logged.GetValueOrDefault(p.Phase, -1))
                        {
                            logged[p.Phase] = step;
                            Console.WriteLine(FormattableString.Invariant(
                                $"{DateTime.UtcNow:HH:mm:ss} {p.Phase}: {p.Done}/{p.Total} ({100.0 * p.Done / p.Total:F0} %), ETA {task.RemainingTime:hh\\:mm\\:ss}"));
                        }
                });
                return evaluation.Run(
                    new LfwRunInput(pairs, foldsInFile, settings.Pairs.FullName, imageRoot, settings.Model.ToString(), commandLine,
                        settings.GalleryModel?.ToString(), settings.MirrorAveraging, lowResolutionModel),
                    options, progress);
            });
    }

    private static void PrintSummary(LfwReport report)
    {
        var table = new Table().Title($"{Markup.Escape(report.Models)}, {report.Alignment}{(report.Scope.IsFullProtocol ? "" : " [yellow](QUICK RUN)[/]")}")
            .AddColumn("resolution");
        // As the markdown table: a column pair per protocol that ran (a cross-model run has no LR-LR; an HR-only run one pair).
        var protocols = new[] { PairProtocol.LrLr, PairProtocol.HrLr }.Where(p => report.Results.Any(r => r.Protocol == p))
            .DefaultIfEmpty(PairProtocol.HrHr).ToList();
        foreach (var protocol in protocols)
            table.AddColumns(Markup.Escape($"{report.ProtocolLabel(protocol)} acc (%)"), Markup.Escape($"{report.ProtocolLabel(protocol)} TAR@1e-3"));
        foreach (var size in LfwMarkdown.Sizes(report))
        {
            string[] Cells(PairProtocol protocol) => report.Find(protocol, size) is { } r
                ? [FormattableString.Invariant($"{100 * r.Verification.Accuracy.Mean:F2} ± {100 * r.Verification.Accuracy.PopulationStd:F2}"),
                   FormattableString.Invariant($"{100 * r.Verification.AtFar1e3.Tar:F2}")]
                : ["–", "–"];
            table.AddRow([size is { } s ? $"{s} px" : "HR", .. protocols.SelectMany(Cells)]);
        }
        AnsiConsole.Write(table);
        var d = report.Detection;
        AnsiConsole.MarkupLineInterpolated(
            $"detection: {string.Join(", ", d.ImagesPerStage.Select(kv => $"{kv.Value} by {kv.Key}"))}; {d.FallbackImages} by the mean-landmark fallback");
    }

    /// <summary>
    /// The service's thresholds come from here: HR, all pairs, the card's own alignment, full protocol only. Stored
    /// unrounded: rounding down could admit the impostor the threshold was chosen to reject.
    /// </summary>
    private static void WriteOperatingPoints(string modelPath, EmbeddingModelInfo card, IReadOnlyList<LfwReport> reports)
    {
        var report = reports.FirstOrDefault(r => r.Alignment == card.Alignment)
            ?? throw new ArgumentException($"--write-operating-points needs the card's alignment {card.Alignment} among --alignment.");
        if (!report.Scope.IsFullProtocol)
            throw new ArgumentException("--write-operating-points needs the full protocol: drop --limit-folds.");
        var hr = report.Find(PairProtocol.HrHr, null)!.Verification;
        var measuredOn = FormattableString.Invariant(
            $"LFW View 2, all {report.Scope.Pairs} pairs, HR, {report.Alignment}; a pair is accepted when its cosine exceeds the threshold; facetrain eval {report.CreatedUtc:yyyy-MM-dd}");
        var points = new[] { hr.AtFar1e3, hr.AtFar1e2 }
            .Select(p => new OperatingPoint(p.TargetFar, p.Threshold, measuredOn + FormattableString.Invariant($" (TAR {100 * p.Tar:F2} %)")))
            .ToList();
        var cardPath = EmbeddingModelCard.PathFor(modelPath);
        EmbeddingModelCard.Save(card with { OperatingPoints = points }, cardPath);
        foreach (var p in points)
            AnsiConsole.MarkupLineInterpolated($"operating point FAR {p.TargetFar:G}: cosine > {p.CosineThreshold:F4} -> {cardPath}");
    }

    private static Command CreateCompare()
    {
        var reports = new Argument<FileInfo[]>("reports") { Description = "report.json files written by `facetrain eval`.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder for the shared plots.", Required = true };
        var command = new Command("compare", "Plot several LFW reports together: accuracy vs resolution, and ROC at HR.") { reports, output };
        command.SetAction(parse =>
        {
            var loaded = parse.GetValue(reports)!.Select(f => LfwReportJson.Read(f.FullName)).ToList();
            foreach (var file in LfwReportWriter.WriteComparison(loaded, parse.GetValue(output)!.FullName))
                AnsiConsole.MarkupLineInterpolated($"[grey]wrote[/] {file}");
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<AlignmentKind>? ParseAlignments(string? text) =>
        text is null ? null : Split(text).Select(a => Enum.TryParse<AlignmentKind>(a, ignoreCase: true, out var kind)
            ? kind
            : throw new ArgumentException($"Unknown alignment '{a}': use {string.Join(" or ", Enum.GetNames<AlignmentKind>())}.")).Distinct().ToList();

    private static IReadOnlyList<int> ParseSizes(string text) =>
        Split(text).Where(s => !s.Equals("hr", StringComparison.OrdinalIgnoreCase))
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var px) && px is >= 2 and <= 150
                ? px
                : throw new ArgumentException($"Unknown resolution '{s}': use hr or a pixel size such as {string.Join(", ", AllSizes)}."))
            .Distinct().OrderDescending().ToList();

    /// <summary>
    /// The requested protocols, or the default. Across models only HR-LR exists: an explicit lr-lr there is an
    /// error, not silently dropped.
    /// </summary>
    private static IReadOnlyList<PairProtocol> ResolveProtocols(string? text, bool crossModel)
    {
        if (text is null)
            return crossModel ? [PairProtocol.HrLr] : [PairProtocol.LrLr, PairProtocol.HrLr];
        var protocols = ParseProtocols(text);
        if (crossModel && protocols.Contains(PairProtocol.LrLr))
            throw new ArgumentException("--protocols lr-lr cannot run with --gallery-model: LR-LR compares two probe images, so only hr-lr runs across models.");
        return protocols;
    }

    private static IReadOnlyList<PairProtocol> ParseProtocols(string text) =>
        Split(text).Select(p => p.ToLowerInvariant() switch
        {
            "lr-lr" => PairProtocol.LrLr,
            "hr-lr" => PairProtocol.HrLr,
            _ => throw new ArgumentException($"Unknown protocol '{p}': use lr-lr and/or hr-lr."),
        }).Distinct().ToList();

    private static DetectorKind ParseDetector(string text) => text.Trim().ToLowerInvariant() switch
    {
        "tiny" => DetectorKind.TinyFaceDetector,
        "ssd" => DetectorKind.SsdMobilenetV1,
        _ => throw new ArgumentException($"Unknown detector '{text}': use tiny or ssd."),
    };

    private static string[] Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
