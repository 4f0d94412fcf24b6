using System.Text.Json.Nodes;
using FaceService.TestSupport;
using FaceService.Training.Backbones;
using FaceService.Training.Data;
using FaceService.Training.Losses;
using FaceService.Training.Training;
using Xunit;
using static TorchSharp.torch;

namespace FaceService.Training.Tests;

public sealed class DistillationTrainingTests : IDisposable
{
    private const int Crops = 16;
    private readonly string _root = Directory.CreateTempSubdirectory("facetrain-run-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Improved_scheme_trains_checkpoints_logs_and_resumes_to_the_same_weights()
    {
        var cache = SyntheticCache(cropSize: 48);
        var config = TinyConfig(cache, "a");

        var phases = DistillationTraining.Run(config, resume: false);

        Assert.Equal([DistillationTraining.StudentPhase], phases.Select(p => p.Name));
        Assert.Equal(2 * (Crops / 8), phases[0].Steps);
        var steps = File.ReadAllLines(Path.Combine(config.RunDirectory, "steps.csv"));
        Assert.Equal(1 + phases[0].Steps, steps.Length);
        Assert.True(File.Exists(DistillationTraining.StudentWeights(config.RunDirectory)));
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(config.RunDirectory, DistillationTraining.SummaryFile)))!;
        Assert.Equal("Improved", summary["scheme"]!.GetValue<string>());
        Assert.True(summary["endToEndSeconds"]!.GetValue<double>() > 0);

        // The same config again gives the same weights (seeded init, order and augmentation) ...
        var again = TinyConfig(cache, "b");
        DistillationTraining.Run(again, resume: false);
        Assert.Equal(Weights(config), Weights(again));

        // ... and so does a run stopped after epoch 1 and resumed.
        var resumed = TinyConfig(cache, "c");
        DistillationTraining.Run(resumed, resume: false);
        File.Delete(DistillationTraining.StudentWeights(resumed.RunDirectory));
        var stateFile = Path.Combine(resumed.RunDirectory, DistillationTraining.StudentPhase, "state.json");
        File.WriteAllText(stateFile, File.ReadAllText(Path.Combine(config.RunDirectory, DistillationTraining.StudentPhase, "state.json"))
            .Replace("\"CompletedEpochs\":2", "\"CompletedEpochs\":1").Replace($"\"Steps\":{phases[0].Steps}", $"\"Steps\":{phases[0].Steps / 2}"));
        DistillationTraining.Run(resumed, resume: true);
        Assert.Equal(Weights(config), Weights(resumed));
        Assert.Equal(1 + phases[0].Steps * 3 / 2, File.ReadAllLines(Path.Combine(resumed.RunDirectory, "steps.csv")).Length);
    }

    [Fact]
    public void A_second_run_into_the_same_directory_needs_resume()
    {
        var config = TinyConfig(SyntheticCache(cropSize: 48), "a");
        DistillationTraining.Run(config, resume: false);

        Assert.Throws<InvalidOperationException>(() => DistillationTraining.Run(config, resume: false));
        Assert.Throws<InvalidOperationException>(() => DistillationTraining.Run(config with { Seed = 7 }, resume: true));
    }

    [Fact]
    public void A_run_can_start_from_another_runs_student()
    {
        var cache = SyntheticCache(cropSize: 48);
        var first = TinyConfig(cache, "first");
        DistillationTraining.Run(first, resume: false);
        // A learning rate this small leaves the start in place, so the end shows where a run started.
        var standStill = first.Optimization with { Epochs = 1, LearningRate = 1e-12 };
        var continued = TinyConfig(cache, "continued") with
        {
            Student = first.Student with { InitialWeights = [DistillationTraining.StudentWeights(first.RunDirectory)] },
            Optimization = standStill,
        };
        var fresh = TinyConfig(cache, "fresh") with { Optimization = standStill };

        DistillationTraining.Run(continued, resume: false);
        DistillationTraining.Run(fresh, resume: false);

        var trained = Weights(first);
        Assert.True(MaxAbsDifference(trained, Weights(continued)) < 1e-6, "the continued run starts from the first run's student");
        Assert.True(MaxAbsDifference(trained, Weights(fresh)) > 1e-3, "a fresh run does not");
        var missing = TinyConfig(cache, "missing") with { Student = first.Student with { InitialWeights = [Path.Combine(_root, "absent.dat")] } };
        Assert.Throws<FileNotFoundException>(() => DistillationTraining.Run(missing, resume: false));
    }

    [Fact]
    public void A_run_can_start_from_the_mean_of_several_students()
    {
        var cache = SyntheticCache(cropSize: 48);
        var first = TinyConfig(cache, "first");
        var second = TinyConfig(cache, "second") with { Seed = first.Seed + 1 };
        DistillationTraining.Run(first, resume: false);
        DistillationTraining.Run(second, resume: false);
        var standStill = first.Optimization with { Epochs = 1, LearningRate = 1e-12 };
        string[] both = [DistillationTraining.StudentWeights(first.RunDirectory), DistillationTraining.StudentWeights(second.RunDirectory)];
        var soup = TinyConfig(cache, "soup") with { Student = first.Student with { InitialWeights = both }, Optimization = standStill };

        DistillationTraining.Run(soup, resume: false);

        var (a, b) = (Weights(first), Weights(second));
        Assert.True(MaxAbsDifference(a, b) > 1e-3, "the two runs differ");
        var mean = a.Zip(b, (x, y) => (x + y) / 2).ToArray();
        Assert.True(MaxAbsDifference(mean, Weights(soup)) < 1e-6, "the run starts from their mean");
        var stored = ExperimentConfig.Load(Path.Combine(soup.RunDirectory, DistillationTraining.ConfigFile));
        Assert.Equal(both, stored.Student.InitialWeights);
    }

    [Fact]
    public void Export_can_average_the_last_epochs_weights()
    {
        var config = TinyConfig(SyntheticCache(cropSize: 48), "a");
        DistillationTraining.Run(config, resume: false);
        var lastTwo = DistillationTraining.LastStudentWeights(config.RunDirectory, 2);
        Assert.Equal([DistillationTraining.StudentWeights(config.RunDirectory)], DistillationTraining.LastStudentWeights(config.RunDirectory, 1));
        Assert.Equal(DistillationTraining.StudentWeights(config.RunDirectory), lastTwo[1]);
        Assert.Throws<ArgumentException>(() => DistillationTraining.LastStudentWeights(config.RunDirectory, 3));

        using var scope = NewDisposeScope();
        var student = BackboneFactory.Create(config.Student);
        var perEpoch = lastTwo.Select(file => { student.load(file); return StateValues(student); }).ToArray();
        CheckpointAveraging.LoadAverage(student, lastTwo);
        var averaged = StateValues(student);

        Assert.True(MaxAbsDifference(perEpoch[0], perEpoch[1]) > 1e-3, "the two epochs differ");
        var mean = perEpoch[0].Zip(perEpoch[1], (x, y) => (x + y) / 2).ToArray();
        Assert.True(MaxAbsDifference(mean, averaged) < 1e-6, "weights and batch-norm statistics are the epochs' mean");
        CheckpointAveraging.LoadAverage(student, [lastTwo[0]]);
        Assert.Equal(perEpoch[0], StateValues(student));
    }

    /// <summary>Every floating-point weight and buffer (batch-norm statistics too), in state-dict order.</summary>
    private static float[] StateValues(nn.Module<Tensor, Tensor> student) =>
        student.state_dict().Values.Where(t => t.is_floating_point()).SelectMany(t => t.to_type(ScalarType.Float32).data<float>().ToArray()).ToArray();

    private static double MaxAbsDifference(float[] a, float[] b) => a.Zip(b, (x, y) => (double)Math.Abs(x - y)).Max();

    [Fact]
    public void Usual_scheme_fine_tunes_the_teacher_then_distils_from_it()
    {
        var weights = Requires.FaceApiPackageFile(FaceService.Nets.Acquisition.FaceApiPackage.RecognitionManifest);
        var config = TinyConfig(SyntheticCache(cropSize: 150), "usual") with
        {
            Scheme = TrainingScheme.Usual,
            Optimization = new OptimizationOptions { Epochs = 1, BatchSize = 8, Optimizer = OptimizerKind.AdamW, LearningRate = 1e-3, WarmupSteps = 1 },
            TeacherFineTuning = new TeacherFineTuningOptions
            {
                Weights = weights,
                Optimization = new OptimizationOptions { Epochs = 1, BatchSize = 8, LearningRate = 1e-4, WarmupSteps = 1 },
            },
        };

        var phases = DistillationTraining.Run(config, resume: false);

        Assert.Equal([DistillationTraining.TeacherPhase, DistillationTraining.StudentPhase], phases.Select(p => p.Name));
        Assert.All(phases, p => Assert.True(p.Seconds > 0 && p.Steps == Crops / 8));
        Assert.True(File.Exists(Path.Combine(config.RunDirectory, DistillationTraining.TeacherPhase, "epoch-001", "model.dat")));
    }

    private ExperimentConfig TinyConfig(string cache, string name) => new()
    {
        Name = name,
        Cache = cache,
        Output = Path.Combine(_root, "runs"),
        Student = new StudentOptions { InputSize = 32, StageRepeats = [1, 1, 1, 1, 1], HeadChannels = 64 },
        Loss = new LossOptions { MmdWeight = 0.5, IdentityWeight = 0.1 },
        Optimization = new OptimizationOptions { Epochs = 2, BatchSize = 8, Optimizer = OptimizerKind.AdamW, LearningRate = 1e-3, WarmupSteps = 1 },
        Seed = 5,
        Threads = 2,
    };

    private static float[] Weights(ExperimentConfig config)
    {
        using var scope = NewDisposeScope();
        var student = BackboneFactory.Create(config.Student);
        student.load(DistillationTraining.StudentWeights(config.RunDirectory));
        return student.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
    }

    /// <summary>Random crops and random teacher targets, half of them labelled with 4 identities.</summary>
    private string SyntheticCache(int cropSize)
    {
        var directory = Path.Combine(_root, $"cache{cropSize}");
        var rng = new Random(11);
        using (var writer = CropCacheWriter.Create(directory, cropSize))
            for (var i = 0; i < Crops; i++)
            {
                var crop = new byte[cropSize * cropSize * 3];
                rng.NextBytes(crop);
                writer.Add(crop, new CropEntry($"photo{i}.jpg", i % 2 == 0 ? $"person{i % 8}" : null, 0.9));
            }

        float[] Target() => Enumerable.Range(0, 128).Select(_ => (float)(rng.NextDouble() - 0.5) * 0.2f).ToArray();
        TeacherTargets.Save(TeacherTargets.PathIn(directory),
            Enumerable.Range(0, Crops).Select(_ => Target()).ToList(), Enumerable.Range(0, Crops).Select(_ => Target()).ToList());
        return directory;
    }
}
