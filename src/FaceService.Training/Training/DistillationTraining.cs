using System.Text.Json;
using System.Text.Json.Nodes;
using FaceService.Nets.Layers;
using FaceService.Nets.Teacher;
using FaceService.Nets.Tfjs;
using FaceService.Training.Backbones;
using FaceService.Training.Data;
using FaceService.Training.Losses;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Training.Training;

/// <summary>Wall-clock of one phase of a run.</summary>
public sealed record PhaseSummary(string Name, int Epochs, int Steps, double Seconds, double SamplesPerSecond, double CpuSeconds);

/// <summary>
/// The method, end to end, from a config: LR-augmented crops → student → losses against the teacher → checkpoints.
/// <list type="bullet">
/// <item>Improved scheme: the teacher saw only the HR crops, once (<c>targets</c>); the student distils from those
/// cached embeddings, with MK-MMD closing the gap between its LR-input outputs and the teacher's HR outputs.</item>
/// <item>Usual scheme (baseline): fine-tune the teacher on the LR-augmented set against its own HR targets, then
/// distil the student from the fine-tuned teacher, which runs on every batch.</item>
/// </list>
/// Both write steps.csv, per-epoch checkpoints and summary.json (wall-clock per phase) under the run directory.
/// </summary>
public static class DistillationTraining
{
    public const string StudentPhase = "distill";
    public const string TeacherPhase = "teacher-finetune";
    public const string SummaryFile = "summary.json";
    public const string ConfigFile = "config.json";

    public static IReadOnlyList<PhaseSummary> Run(ExperimentConfig config, bool resume)
    {
        config.Augmentation.Validate();
        set_num_threads(config.Threads);
        var runDirectory = config.RunDirectory;
        PrepareRunDirectory(config, resume);

        using var crops = CropCache.Open(config.Cache);
        var targets = TeacherTargets.Load(TeacherTargets.PathIn(config.Cache));
        var samples = config.Samples == 0 ? crops.Count : Math.Min(config.Samples, crops.Count);
        var studentView = new LowResolutionAugmentation(config.Augmentation, config.Student.InputSize);
        using var log = new StepLog(Path.Combine(runDirectory, "steps.csv"));
        var phases = new List<PhaseSummary>();

        Func<DistillationBatch, Tensor> studentTargets;
        LowResolutionAugmentation? teacherView = null;
        if (config.Scheme == TrainingScheme.Usual)
        {
            var teacher = FineTuneTeacher(config, crops, targets, samples, log, resume, phases);
            teacherView = new LowResolutionAugmentation(config.Augmentation, DlibResNet.InputSize);
            studentTargets = batch =>
            {
                using var _ = no_grad();
                return teacher.forward(batch.TeacherInput!);
            };
        }
        else
        {
            studentTargets = batch => batch.Targets;
        }

        random.manual_seed(config.Seed);
        var student = BackboneFactory.Create(config.Student);
        var targetMean = targets.Mean(samples);
        StartAtTheTeachersMean(student, targetMean);
        // A trained student, or the mean of several, as the start (a resumed run then loads its own checkpoint over it).
        if (config.Student.InitialWeights is { Count: > 0 } initialWeights)
            CheckpointAveraging.LoadAverage(student, initialWeights);
        var head = IdentityHead(config.Loss, config.Student.EmbeddingSize, crops, targets, samples);
        var distill = new TrainingPhase
        {
            Name = StudentPhase,
            Model = student,
            IdentityHead = head,
            Objective = new StudentObjective(config.Loss, head, tensor(targetMean)),
            Optimization = config.Optimization,
            Loader = new DistillationLoader(crops, targets, samples, studentView, teacherView, config.Optimization.BatchSize, config.Seed, config.Threads),
            Inputs = batch => batch.StudentInput,
            Targets = studentTargets,
        };
        phases.Add(RunPhase(distill, config, log, resume, samples));

        WriteSummary(config, samples, phases);
        return phases;
    }

    /// <summary>The final student weights of a finished run, for export.</summary>
    public static string StudentWeights(string runDirectory) => LastStudentWeights(runDirectory, 1)[0];

    /// <summary>The student weights of a run's last <paramref name="epochs"/> epochs, oldest first.</summary>
    public static IReadOnlyList<string> LastStudentWeights(string runDirectory, int epochs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        var checkpoints = new PhaseCheckpoints(Path.Combine(runDirectory, StudentPhase));
        var state = checkpoints.Latest() ?? throw new FileNotFoundException($"{runDirectory} has no student checkpoint yet: run train first.");
        if (epochs > state.CompletedEpochs)
            throw new ArgumentException($"{runDirectory} has {state.CompletedEpochs} epoch checkpoints; cannot take the last {epochs}.", nameof(epochs));
        var paths = Enumerable.Range(state.CompletedEpochs - epochs + 1, epochs).Select(checkpoints.ModelPath).ToArray();
        foreach (var path in paths.Where(p => !File.Exists(p)))
            throw new FileNotFoundException($"Checkpoint {path} is missing.", path);
        return paths;
    }

    /// <summary>
    /// The teacher's embeddings share a large common component (different people's raw descriptors have cosine
    /// ~0.85), so a fresh student spends its first steps learning that mean. Its output layer's bias starts there
    /// instead, and training works on what tells faces apart from the first step. (A resumed run loads its weights;
    /// a student started from the teacher's weights has no output bias, and is there already.)
    /// </summary>
    private static void StartAtTheTeachersMean(nn.Module<Tensor, Tensor> student, float[] mean)
    {
        var output = student.modules().OfType<Linear>().Last();
        if (output.bias is null)
            return;
        ParameterLoading.CopyInto(output.bias, () => tensor(mean));
    }

    private static DlibResNet FineTuneTeacher(ExperimentConfig config, CropCache crops, TeacherTargets targets, int samples,
        StepLog log, bool resume, List<PhaseSummary> phases)
    {
        var options = config.TeacherFineTuning;
        random.manual_seed(config.Seed);
        var teacher = DlibResNet.FromWeights(TfjsWeights.Load(options.Weights));
        teacher.SetTrainable(true);
        var head = IdentityHead(options.Loss, DlibResNet.DescriptorSize, crops, targets, samples);
        var fineTune = new TrainingPhase
        {
            Name = TeacherPhase,
            Model = teacher,
            IdentityHead = head,
            Objective = new StudentObjective(options.Loss, head, tensor(targets.Mean(samples))),
            Optimization = options.Optimization,
            Loader = new DistillationLoader(crops, targets, samples, new LowResolutionAugmentation(config.Augmentation, DlibResNet.InputSize),
                null, options.Optimization.BatchSize, config.Seed, config.Threads),
            Inputs = batch => batch.StudentInput,
            Targets = batch => batch.Targets,
        };
        phases.Add(RunPhase(fineTune, config, log, resume, samples));
        teacher.eval();
        teacher.SetTrainable(false);
        return teacher;
    }

    private static PhaseSummary RunPhase(TrainingPhase phase, ExperimentConfig config, StepLog log, bool resume, int samples)
    {
        var state = phase.Run(new PhaseCheckpoints(Path.Combine(config.RunDirectory, phase.Name)), resume, log);
        var trainedSamples = (double)state.Steps * phase.Optimization.BatchSize;
        return new PhaseSummary(phase.Name, state.CompletedEpochs, state.Steps, state.Seconds, trainedSamples / Math.Max(1e-9, state.Seconds), state.CpuSeconds);
    }

    private static CosFaceHead? IdentityHead(LossOptions loss, int embeddingSize, CropCache crops, TeacherTargets targets, int samples)
    {
        if (loss.IdentityWeight <= 0)
            return null;
        if (crops.IdentityCount < 2)
            throw new InvalidOperationException("identityWeight > 0 needs a cache with labelled identities (labels.tsv).");
        return loss.IdentityCentres switch
        {
            IdentityCentres.Learnt => new CosFaceHead(embeddingSize, crops.IdentityCount, loss.IdentityMargin, loss.IdentityScale),
            IdentityCentres.TeacherMeans => CosFaceHead.WithFixedCentres(
                tensor(targets.IdentityMeans(crops.IdentityIds, crops.IdentityCount, samples, loss.CentreOnTargetMean),
                    crops.IdentityCount, targets.Dimension),
                loss.IdentityMargin, loss.IdentityScale),
            _ => throw new ArgumentOutOfRangeException(nameof(loss), loss.IdentityCentres, "Unknown identityCentres."),
        };
    }


    private static void PrepareRunDirectory(ExperimentConfig config, bool resume)
    {
        var configPath = Path.Combine(config.RunDirectory, ConfigFile);
        if (File.Exists(configPath) && !resume)
            throw new InvalidOperationException($"{config.RunDirectory} already holds a run: pass --resume to continue it, or delete it.");
        // A resumed run must keep its config, or its epochs would mix two experiments.
        if (File.Exists(configPath) && File.ReadAllText(configPath) != config.ToJson())
            throw new InvalidOperationException($"{configPath} differs from the config given: a resumed run must keep its config.");
        Directory.CreateDirectory(config.RunDirectory);
        File.WriteAllText(configPath, config.ToJson());
    }

    /// <summary>
    /// summary.json: each phase's wall-clock, plus the shared data steps (prepare, targets) pro rata for the samples
    /// trained, so the two schemes' end-to-end times compare like for like.
    /// </summary>
    private static void WriteSummary(ExperimentConfig config, int samples, IReadOnlyList<PhaseSummary> phases)
    {
        var dataSteps = new JsonObject();
        var dataSeconds = 0.0;
        foreach (var (step, file, perItem) in new[] { ("prepare", "prepare.json", "msPerPhoto"), ("targets", "targets.json", "msPerCrop") })
        {
            var path = Path.Combine(config.Cache, file);
            if (!File.Exists(path) || JsonNode.Parse(File.ReadAllText(path))?[perItem]?.GetValue<double>() is not { } ms)
                continue;
            var seconds = ms * samples / 1000;
            dataSteps[step] = new JsonObject { [perItem] = ms, ["secondsForSamples"] = seconds };
            dataSeconds += seconds;
        }

        var summary = new JsonObject
        {
            ["name"] = config.Name,
            ["scheme"] = config.Scheme.ToString(),
            ["samples"] = samples,
            ["studentInputSize"] = config.Student.InputSize,
            ["threads"] = config.Threads,
            ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
            ["dataSteps"] = dataSteps,
            ["phases"] = JsonSerializer.SerializeToNode(phases, new JsonSerializerOptions(JsonSerializerDefaults.Web)),
            ["trainingSeconds"] = phases.Sum(p => p.Seconds),
            ["trainingCpuSeconds"] = phases.Sum(p => p.CpuSeconds),
            ["endToEndSeconds"] = dataSeconds + phases.Sum(p => p.Seconds),
        };
        File.WriteAllText(Path.Combine(config.RunDirectory, SummaryFile), summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
