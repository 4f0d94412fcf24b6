using FaceService.Training.Export;
using TorchSharp;
using static TorchSharp.torch;

namespace FaceService.Training.Training;

/// <summary>
/// Loads the mean of several checkpoints of one model into it: averaging the weights of the last epochs (as in
/// stochastic weight averaging) lands nearer the centre of the region the optimiser wanders in late in training than
/// any single epoch does. Floating-point weights and buffers are averaged in double precision; integer buffers (a batch
/// norm's step counter) keep the last checkpoint's value. A file is a training checkpoint (<c>model.dat</c>) or a model
/// exported from the same architecture (<c>.onnx</c>, float or int8; <see cref="ExportedWeights"/>).
/// </summary>
public static class CheckpointAveraging
{
    public static void LoadAverage(nn.Module model, IReadOnlyList<string> weightFiles)
    {
        ArgumentOutOfRangeException.ThrowIfZero(weightFiles.Count);
        // Every file is checked before any is loaded, so a typo in the last one does not cost loading the others.
        foreach (var file in weightFiles.Where(f => !File.Exists(f)))
            throw new FileNotFoundException($"checkpoint {file} does not exist (expected a run's distill/epoch-NNN/model.dat or an exported model's .onnx).", file);
        // Scalars held by name until the end: TorchSharp frees a temporary Scalar in its finalizer, even mid-call
        // (see FaceService.Nets.Layers.TensorSum).
        using var one = 1.ToScalar();
        using var count = weightFiles.Count.ToScalar();
        var sums = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var file in weightFiles)
            {
                Load(model, file);
                using var noGrad = no_grad();
                foreach (var (name, value) in model.state_dict().Where(e => e.Value.is_floating_point()))
                {
                    if (sums.TryGetValue(name, out var sum))
                    {
                        using var asDouble = value.to_type(ScalarType.Float64);
                        sum.add_(asDouble, one);
                    }
                    else
                        sums[name] = value.to_type(ScalarType.Float64, copy: true);
                }
            }
            using (no_grad())
                foreach (var (name, value) in model.state_dict().Where(e => e.Value.is_floating_point()))
                {
                    var sum = sums[name];
                    sum.div_(count);
                    value.copy_(sum);
                }
        }
        finally
        {
            foreach (var sum in sums.Values)
                sum.Dispose();
        }
    }

    private static void Load(nn.Module model, string file)
    {
        if (Path.GetExtension(file).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
            ExportedWeights.LoadInto(model, file);
        else
            model.load(file);
    }
}
