using System.Runtime.InteropServices;
using FaceService.Nets.Onnx;
using Onnx;

namespace FaceService.Nets.Quantization;

/// <summary>One weight of a graph in float: its values (row-major) and shape.</summary>
public sealed record GraphWeight(float[] Values, long[] Dims);

/// <summary>
/// The weights of a graph the project wrote, in float and under the names the float graph gave them: float
/// initializers as stored, and the int8 weights and int32 biases of a <see cref="QdqQuantizer"/> graph through their
/// DequantizeLinear, <c>(q - zero) * scale</c> along its axis. The inverse of the quantiser's weight step, so that a
/// quantised model can be read back into the net it was exported from.
/// </summary>
public static class GraphWeights
{
    private const string DequantizedSuffix = "_dequantized";

    public static IReadOnlyDictionary<string, GraphWeight> Read(GraphProto graph)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var weights = graph.Initializer
            .Where(t => t.DataType == (int)TensorProto.Types.DataType.Float)
            .ToDictionary(t => t.Name, t => new GraphWeight(OnnxTensors.FloatValues(t), t.Dims.ToArray()), StringComparer.Ordinal);
        foreach (var node in graph.Node.Where(n => n.OpType == "DequantizeLinear" && n.Output[0].EndsWith(DequantizedSuffix, StringComparison.Ordinal)))
        {
            // Activations are dequantised too, but from values computed at run time: only constants are weights.
            if (!node.Input.All(initializers.ContainsKey))
                continue;
            var quantized = initializers[node.Input[0]];
            var scales = OnnxTensors.FloatValues(initializers[node.Input[1]]);
            var zeros = node.Input.Count > 2 ? Integers(initializers[node.Input[2]]) : new long[scales.Length];
            var axis = (int)(node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 1);
            var dims = quantized.Dims.ToArray();
            weights[node.Output[0][..^DequantizedSuffix.Length]] = new GraphWeight(Dequantize(Integers(quantized), scales, zeros, dims, axis), dims);
        }
        return weights;
    }

    private static float[] Dequantize(long[] values, float[] scales, long[] zeros, long[] dims, int axis)
    {
        if (axis < 0)
            axis += dims.Length;
        var channels = scales.Length == 1 ? 1 : (int)dims[axis];
        if (scales.Length != channels || zeros.Length != channels)
            throw new InvalidDataException($"DequantizeLinear: {scales.Length} scales and {zeros.Length} zero points for {channels} channels along axis {axis}");
        var inner = scales.Length == 1 ? values.Length : (int)dims[(axis + 1)..].Aggregate(1L, (a, d) => a * d);
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var channel = i / inner % channels;
            result[i] = (values[i] - zeros[channel]) * scales[channel];
        }
        return result;
    }

    private static long[] Integers(TensorProto tensor)
    {
        var raw = tensor.RawData.Span;
        return (TensorProto.Types.DataType)tensor.DataType switch
        {
            TensorProto.Types.DataType.Int8 => MemoryMarshal.Cast<byte, sbyte>(raw).ToArray().Select(v => (long)v).ToArray(),
            TensorProto.Types.DataType.Uint8 => raw.ToArray().Select(v => (long)v).ToArray(),
            TensorProto.Types.DataType.Int32 => tensor.RawData.Length > 0
                ? MemoryMarshal.Cast<byte, int>(raw).ToArray().Select(v => (long)v).ToArray()
                : tensor.Int32Data.Select(v => (long)v).ToArray(),
            var type => throw new InvalidDataException($"{tensor.Name}: quantised weights of type {type} are not supported (int8, uint8, int32)"),
        };
    }
}
