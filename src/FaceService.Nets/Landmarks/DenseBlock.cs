using FaceService.Nets.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Nets.Landmarks;

/// <summary>
/// face-api's dense block: <c>o1 = relu(conv0(x))</c>, then each further <c>o(i+1) = conv_i(relu(o1 + ... + oi))</c>
/// (conv1 takes o1 itself), and <c>out = relu(o1 + ... + on)</c>. Sums associate to the right, as in face-api.
/// </summary>
public sealed class DenseBlock : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Sequential[] convs;

    public DenseBlock(IReadOnlyList<Sequential> convs) : base(nameof(DenseBlock))
    {
        if (convs.Count < 2)
            throw new ArgumentException("a dense block has at least two convolutions", nameof(convs));
        this.convs = convs.ToArray();
        for (var i = 0; i < this.convs.Length; i++)
            register_module($"conv{i}", this.convs[i]);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var outputs = new List<Tensor> { nn.functional.relu(convs[0].forward(x)) };
        for (var i = 1; i < convs.Length; i++)
            outputs.Add(convs[i].forward(i == 1 ? outputs[0] : nn.functional.relu(SumRight(outputs))));
        return nn.functional.relu(SumRight(outputs)).MoveToOuterDisposeScope();
    }

    private static Tensor SumRight(IReadOnlyList<Tensor> terms)
    {
        var sum = terms[^1];
        for (var i = terms.Count - 2; i >= 0; i--)
            sum = terms[i] + sum;
        return sum;
    }

    public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope)
    {
        var outputs = new List<string> { graph.AddNode("Relu", [graph.Emit(convs[0], input, $"{scope}/conv0")], scope) };
        for (var i = 1; i < convs.Length; i++)
        {
            var next = i == 1 ? outputs[0] : graph.AddNode("Relu", [SumRight(graph, outputs, scope)], scope);
            outputs.Add(graph.Emit(convs[i], next, $"{scope}/conv{i}"));
        }
        return graph.AddNode("Relu", [SumRight(graph, outputs, scope)], scope);
    }

    private static string SumRight(OnnxGraphBuilder graph, IReadOnlyList<string> terms, string scope)
    {
        var sum = terms[^1];
        for (var i = terms.Count - 2; i >= 0; i--)
            sum = graph.AddNode("Add", [terms[i], sum], scope);
        return sum;
    }
}
