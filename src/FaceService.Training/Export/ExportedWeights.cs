using FaceService.Nets.Layers;
using FaceService.Nets.Onnx;
using FaceService.Nets.Quantization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Training.Export;

/// <summary>
/// Reads a student's weights back from a model exported from it: the float file <c>export</c> writes, or the int8 file
/// <c>quantize</c> makes of that, dequantised, with the input normalisation that quantisation folds into the first
/// convolution taken out again. A run can then start from a shipped model whose run directory is gone. An int8 start
/// carries the quantisation's rounding (half a step of each output channel's scale at most), which training works off.
/// </summary>
public static class ExportedWeights
{
    public static void LoadInto(nn.Module student, string onnxPath)
    {
        var graph = OnnxModelFile.Read(onnxPath).Graph;
        // The graph names a weight by its module path under the graph's own name ("<graph>/conv32_1/body/conv1/weight");
        // torch's names may put the net's fields in front ("layers.conv32_1.body.conv1.weight").
        var byPath = GraphWeights.Read(graph).ToDictionary(w => w.Key[(w.Key.IndexOf('/') + 1)..], w => w.Value, StringComparer.Ordinal);
        var normalizations = student.named_modules().Where(m => m.module is InputNormalization).ToList();
        // A normalisation's mean is part of the architecture, not a learnt weight, and quantisation folds it away.
        var architectureConstants = normalizations
            .SelectMany(n => n.module.named_buffers().Select(b => $"{n.name}.{b.name}"))
            .ToHashSet(StringComparer.Ordinal);

        var missing = new List<string>();
        foreach (var (name, value) in student.state_dict().Where(e => e.Value.is_floating_point() && !architectureConstants.Contains(e.Key)))
        {
            if (Find(byPath, name) is { } weight)
                Copy(value, weight, transposed: false, name, onnxPath);
            else if (Find(byPath, name + "_t") is { } transposedWeight)
                Copy(value, transposedWeight, transposed: true, name, onnxPath);
            else
                missing.Add(name);
        }
        if (missing.Count > 0)
            throw new InvalidDataException(
                $"{onnxPath} holds no weights for {string.Join(", ", missing.Take(3))}{(missing.Count > 3 ? $" and {missing.Count - 3} more" : "")}: it was not exported from this student's architecture.");

        foreach (var (name, module) in normalizations)
            if (Find(byPath, $"{name}.mean") is null)
                Unfold((InputNormalization)module, FirstConvolutionAfter(student, name, onnxPath));
    }

    private static GraphWeight? Find(IReadOnlyDictionary<string, GraphWeight> byPath, string torchName)
    {
        for (var path = torchName.Replace('.', '/'); ; path = path[(path.IndexOf('/') + 1)..])
        {
            if (byPath.TryGetValue(path, out var weight))
                return weight;
            if (!path.Contains('/'))
                return null;
        }
    }

    private static void Copy(Tensor target, GraphWeight source, bool transposed, string name, string onnxPath)
    {
        var dims = transposed ? source.Dims.Reverse().ToArray() : source.Dims;
        if (!dims.SequenceEqual(target.shape))
            throw new InvalidDataException(
                $"{onnxPath}: {name} is [{string.Join(", ", dims)}] there and [{string.Join(", ", target.shape)}] in this student: it was not exported from this architecture.");
        ParameterLoading.CopyInto(target, () => transposed ? tensor(source.Values, source.Dims).t() : tensor(source.Values, source.Dims));
    }

    private static Conv2d FirstConvolutionAfter(nn.Module student, string normalization, string onnxPath)
    {
        var modules = student.named_modules().ToList();
        var start = modules.FindIndex(m => m.name == normalization);
        return modules.Skip(start + 1).Select(m => m.module).OfType<Conv2d>().FirstOrDefault(c => c.bias is not null)
               ?? throw new InvalidDataException($"{onnxPath}: its input normalisation is folded away, but no convolution with a bias follows it in this student.");
    }

    /// <summary>
    /// Undoes <c>AffineInputFolding</c>: the folded convolution reads pixels with <c>W' = W / divisor</c> and
    /// <c>b' = b - Σ W' · mean[c]</c>; the student's own normalisation comes first again, so <c>W = W' · divisor</c>
    /// and <c>b = b' + Σ W' · mean[c]</c>.
    /// </summary>
    private static void Unfold(InputNormalization normalization, Conv2d convolution)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var folded = convolution.weight!.detach().clone();
        var mean = tensor(normalization.MeanRgb.ToArray(), [1, normalization.MeanRgb.Count, 1, 1]);
        var shift = (folded * mean).sum([1, 2, 3]);
        ParameterLoading.CopyInto(convolution.bias!, () => convolution.bias!.detach() + shift);
        ParameterLoading.CopyInto(convolution.weight!, () => folded * tensor(normalization.Divisor));
    }
}
