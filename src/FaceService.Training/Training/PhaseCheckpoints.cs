using System.Text.Json;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Training.Training;

/// <summary>
/// Where a phase stands: epochs done, steps done, and the wall-clock and process CPU seconds spent so far (across
/// resumes). CPU seconds compare runs fairly on a shared machine, where wall-clock depends on what else runs.
/// </summary>
public sealed record PhaseState(int CompletedEpochs, int Steps, double Seconds, double CpuSeconds = 0);

/// <summary>
/// A phase's checkpoints: <c>epoch-NNN/</c> with the model, the identity head (if any) and the optimiser state,
/// after every epoch; <c>state.json</c> is written last, so it only ever names a complete checkpoint.
/// </summary>
public sealed class PhaseCheckpoints(string directory)
{
    private const string StateFile = "state.json";

    public string Directory { get; } = directory;

    public PhaseState? Latest()
    {
        var path = Path.Combine(Directory, StateFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<PhaseState>(File.ReadAllText(path)) : null;
    }

    public string ModelPath(int epoch) => Path.Combine(EpochDirectory(epoch), "model.dat");

    public void Save(PhaseState state, nn.Module model, nn.Module? head, OptimizerHelper optimizer)
    {
        var epochDirectory = EpochDirectory(state.CompletedEpochs);
        System.IO.Directory.CreateDirectory(epochDirectory);
        model.save(ModelPath(state.CompletedEpochs));
        head?.save(Path.Combine(epochDirectory, "head.dat"));
        optimizer.save_state_dict(Path.Combine(epochDirectory, "optimizer.dat"));
        var temporary = Path.Combine(Directory, StateFile + ".tmp");
        File.WriteAllText(temporary, JsonSerializer.Serialize(state));
        File.Move(temporary, Path.Combine(Directory, StateFile), overwrite: true);
    }

    public void Load(PhaseState state, nn.Module model, nn.Module? head, OptimizerHelper optimizer)
    {
        var epochDirectory = EpochDirectory(state.CompletedEpochs);
        model.load(ModelPath(state.CompletedEpochs));
        head?.load(Path.Combine(epochDirectory, "head.dat"));
        optimizer.load_state_dict(Path.Combine(epochDirectory, "optimizer.dat"));
    }

    private string EpochDirectory(int epoch) => Path.Combine(Directory, $"epoch-{epoch:000}");
}
