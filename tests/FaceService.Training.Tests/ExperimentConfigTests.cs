using FaceService.TestSupport;
using FaceService.Training.Training;
using Xunit;

namespace FaceService.Training.Tests;

public sealed class ExperimentConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory().FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string file, string json)
    {
        var path = Path.Combine(_directory, file);
        File.WriteAllText(path, json);
        return path;
    }

    public static TheoryData<string> Configs() => new(Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "configs"), "*.json").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Configs))]
    public void Every_config_loads_and_is_named_after_its_file(string file)
    {
        var config = ExperimentConfig.Load(Path.Combine(TestPaths.RepoRoot, "configs", file));

        Assert.Equal(Path.GetFileNameWithoutExtension(file), config.Name);
        config.Augmentation.Validate();
        Assert.True(config.Optimization.Epochs > 0 && config.Optimization.BatchSize > 1);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Every_configs_student_builds(string file)
    {
        var student = ExperimentConfig.Load(Path.Combine(TestPaths.RepoRoot, "configs", file)).Student;
        // Paths in a config are relative to the repository root, where facetrain runs.
        if (student.TeacherWeights is { } weights)
            student = student with { TeacherWeights = Path.Combine(TestPaths.RepoRoot, weights) };

        using var scope = TorchSharp.torch.NewDisposeScope();
        var net = Backbones.BackboneFactory.Create(student);
        net.eval();
        var output = net.forward(TorchSharp.torch.zeros(1, student.InputSize, student.InputSize, 3));

        Assert.Equal([1L, student.EmbeddingSize], output.shape);
    }

    [Fact]
    public void A_misspelt_key_is_refused_rather_than_silently_defaulted()
    {
        var path = Write("misspelt.json", """{ "name": "x", "optimisation": { "epochs": 3 } }""");

        Assert.Throws<InvalidDataException>(() => ExperimentConfig.Load(path));
    }

    [Fact]
    public void A_config_extends_another_by_merging_objects_key_by_key()
    {
        Write("base.json", """
            // the base
            { "name": "base", "seed": 7, "loss": { "mmdWeight": 0.5, "identityWeight": 0.1 }, "optimization": { "epochs": 3 } }
            """);
        var child = Write("child.json", """
            { "extends": "base.json", "name": "child", "loss": { "mmdWeight": 0 }, "optimization": { "epochs": 9 } }
            """);

        var config = ExperimentConfig.Load(child);

        Assert.Equal(("child", 7, 0.0, 0.1, 9), (config.Name, config.Seed, config.Loss.MmdWeight, config.Loss.IdentityWeight, config.Optimization.Epochs));
        Assert.DoesNotContain("extends", config.ToJson());
    }

    [Fact]
    public void Keys_merge_regardless_of_case_as_they_load()
    {
        Write("base.json", """{ "name": "base", "loss": { "mmdWeight": 0.5, "identityWeight": 0.1 } }""");
        var child = Write("child.json", """{ "extends": "base.json", "name": "child", "Loss": { "MmdWeight": 0 } }""");

        var config = ExperimentConfig.Load(child);

        Assert.Equal((0.0, 0.1), (config.Loss.MmdWeight, config.Loss.IdentityWeight));
    }

    [Fact]
    public void A_config_that_extends_itself_in_a_cycle_is_refused()
    {
        Write("a.json", """{ "extends": "b.json", "name": "a" }""");
        Write("b.json", """{ "extends": "a.json", "name": "b" }""");

        var error = Assert.Throws<InvalidDataException>(() => ExperimentConfig.Load(Path.Combine(_directory, "a.json")));
        Assert.Contains("extends itself", error.Message);
    }

    [Fact]
    public void Learning_rate_warms_up_then_decays_to_zero()
    {
        var schedule = new LearningRateSchedule(Peak: 0.1, WarmupSteps: 10, TotalSteps: 110);

        Assert.Equal(0.01, schedule.At(0), 9);
        Assert.Equal(0.1, schedule.At(9), 9);
        Assert.Equal(0.05, schedule.At(60), 9);
        Assert.Equal(0.0, schedule.At(110), 9);
        Assert.True(schedule.At(30) > schedule.At(31));
    }
}
