using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace FaceService.Nets.Onnx;

/// <summary>One dimension of a graph input or output: a fixed size, or a named symbolic size such as "N".</summary>
public readonly record struct OnnxDim(long? Size, string? Symbol)
{
    public static implicit operator OnnxDim(long size) => new(size, null);

    public static implicit operator OnnxDim(string symbol) => new(null, symbol);

    public override string ToString() => Symbol ?? Size!.Value.ToString();
}

/// <summary>What the exported graph is called and what its single input and output look like.</summary>
public sealed record OnnxExportOptions(IReadOnlyList<OnnxDim> InputShape, IReadOnlyList<OnnxDim> OutputShape)
{
    public string InputName { get; init; } = "input";
    public string OutputName { get; init; } = "output";
    public string GraphName { get; init; } = "model";
    public string DocString { get; init; } = "";
}

/// <summary>
/// Writes a TorchSharp module (one float32 tensor in, one out) as an ONNX model. The tree is walked from the root:
/// standard layers (Sequential, Conv2d, BatchNorm1d/2d, Linear, activations, pools, Flatten, padding, Dropout) map to
/// ONNX ops; any other module implements <see cref="IOnnxExportable"/>. Weights are copied as initializers; the
/// module is exported in eval mode and its training flag restored afterwards.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX opset written (18: Pad takes an <c>axes</c> input).</summary>
    public const int Opset = 18;

    public static void Export(nn.Module<Tensor, Tensor> module, OnnxExportOptions options, string path) =>
        OnnxModelFile.Write(ToModel(module, options), path);

    public static ModelProto ToModel(nn.Module<Tensor, Tensor> module, OnnxExportOptions options)
    {
        var graph = new GraphProto { Name = options.GraphName, DocString = options.DocString };
        graph.Input.Add(ValueInfo(options.InputName, options.InputShape));
        graph.Output.Add(ValueInfo(options.OutputName, options.OutputShape));

        var builder = new OnnxGraphBuilder(graph);
        builder.DeclareInput(options.InputName, options.InputShape.Count);
        var wasTraining = module.training;
        module.eval();
        try
        {
            using var _ = no_grad();
            var output = builder.Emit(module, options.InputName, options.GraphName);
            // The graph output gets its contractual name through an Identity (free at run time).
            graph.Node.Add(new NodeProto { OpType = "Identity", Name = $"{options.GraphName}/output", Input = { output }, Output = { options.OutputName } });
        }
        finally
        {
            module.train(wasTraining);
        }

        return new ModelProto
        {
            IrVersion = 8,
            ProducerName = "FaceService.Nets",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "",
            Graph = graph,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = Opset } },
        };
    }

    private static ValueInfoProto ValueInfo(string name, IReadOnlyList<OnnxDim> dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
            shape.Dim.Add(dim.Symbol is { } symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = dim.Size!.Value });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }
}
