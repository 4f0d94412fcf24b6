using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace FaceService.Nets.Onnx;

/// <summary>
/// Accumulates the nodes and initializers of one ONNX graph while the exporter walks a module tree. Values are
/// named by strings; the builder keeps names unique and tracks each value's rank (which some ops, such as PReLU,
/// need in order to broadcast per-channel parameters).
/// </summary>
public sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph;
    private readonly Dictionary<string, int> _ranks = new(StringComparer.Ordinal);
    private readonly GraphNames _names = new();

    internal OnnxGraphBuilder(GraphProto graph) => _graph = graph;

    /// <summary>Emits <paramref name="module"/>: either it implements <see cref="IOnnxExportable"/>, or it is a standard layer.</summary>
    /// <exception cref="NotSupportedException">The module is neither.</exception>
    public string Emit(nn.Module module, string input, string scope) =>
        module is IOnnxExportable exportable
            ? exportable.ExportOnnx(this, input, scope)
            : OnnxStandardLayers.Emit(this, module, input, scope);

    /// <summary>Adds one node and returns the name of its (single) output.</summary>
    /// <param name="outputRank">The output's rank; by default that of the first input.</param>
    public string AddNode(string opType, IReadOnlyList<string> inputs, string scope,
                          IEnumerable<AttributeProto>? attributes = null, int? outputRank = null)
    {
        var name = _names.Claim($"{scope}/{opType}");
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        if (attributes is not null)
            node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        _ranks[name] = outputRank ?? RankOf(inputs[0]);
        return name;
    }

    /// <summary>Adds a float32 initializer holding a copy of <paramref name="value"/>.</summary>
    public string AddInitializer(string nameHint, Tensor value)
    {
        using var _ = no_grad();
        using var cpu = value.detach().to(ScalarType.Float32).cpu().contiguous();
        return AddInitializer(nameHint, cpu.data<float>().ToArray(), cpu.shape);
    }

    /// <summary>Adds a float32 initializer of the given shape.</summary>
    public string AddInitializer(string nameHint, float[] data, params long[] dims)
    {
        if (data.LongLength != dims.Aggregate(1L, (a, d) => a * d))
            throw new ArgumentException($"{data.Length} values do not fill shape [{string.Join(", ", dims)}]", nameof(data));
        return AddInitializer(nameHint, TensorProto.Types.DataType.Float, dims, MemoryMarshal.AsBytes(data.AsSpan()));
    }

    /// <summary>Adds a 1-D int64 initializer (shapes, pads, axes).</summary>
    public string AddInt64Initializer(string nameHint, params long[] data) =>
        AddInitializer(nameHint, TensorProto.Types.DataType.Int64, [data.Length], MemoryMarshal.AsBytes(data.AsSpan()));

    /// <summary>The rank of a value produced so far (graph input, node output or initializer).</summary>
    public int RankOf(string value) =>
        _ranks.TryGetValue(value, out var rank)
            ? rank
            : throw new InvalidOperationException($"unknown ONNX value '{value}'");

    internal void DeclareInput(string name, int rank)
    {
        _names.Reserve(name);
        _ranks[name] = rank;
    }

    private string AddInitializer(string nameHint, TensorProto.Types.DataType type, long[] dims, ReadOnlySpan<byte> littleEndianData)
    {
        var proto = OnnxTensors.Raw(_names.Claim(nameHint), type, dims, littleEndianData);
        _graph.Initializer.Add(proto);
        _ranks[proto.Name] = proto.Dims.Count;
        return proto.Name;
    }

    // Attribute helpers, so that exportable modules need no protobuf plumbing.
    public static AttributeProto Attribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attribute(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Attribute(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
