using System.Runtime.InteropServices;
using FaceService.Nets.Onnx;
using Onnx;
using static FaceService.Nets.Onnx.OnnxGraphBuilder;

namespace FaceService.Nets.Quantization;

/// <summary>What <see cref="QdqQuantizer.Quantize"/> made int8, by op type, and what it left in float.</summary>
public sealed record QdqSummary(
    IReadOnlyDictionary<string, int> QuantizedNodes,
    int FoldedRelus,
    int FoldedNormalizations,
    int QuantizedTensors,
    IReadOnlyDictionary<string, int> FloatNodes);

public sealed record QdqQuantization(ModelProto Model, QdqSummary Summary);

/// <summary>
/// Static int8 quantisation of a float ONNX graph in the QDQ format: QuantizeLinear/DequantizeLinear pairs around the
/// values of ops that ONNX Runtime runs in int8, which its graph optimiser then fuses into integer kernels
/// (DQ → Conv → Q becomes QLinearConv, DQ → MatMul becomes MatMulIntegerToFloat, Add/AveragePool/GlobalAveragePool
/// become QLinearAdd/QLinearAveragePool/QLinearGlobalAveragePool). Weights of Conv and MatMul become per-channel symmetric int8
/// (<see cref="WeightQuantization"/>), biases int32; activations are per-tensor uint8 from calibrated ranges
/// (<see cref="ActivationQuantization"/>). Every other op stays float.
/// </summary>
/// <remarks>
/// Three rules shape the graph so that the fusions apply. Ops that only move values (max pooling, zero padding,
/// flatten, transpose, reshape) run on the uint8 values with their input's quantisation, which is exact (zero padding
/// pads with the zero point). A ReLU whose input has no other reader is folded into the quantiser of its
/// producer's output: that output takes the ReLU's range, which starts at 0, so its zero point is 0 and the uint8
/// clamp at 0 is the ReLU, leaving DQ → Conv → Q for the fusion to find. An input normalisation in front of an
/// unpadded first convolution is folded into its weights (<see cref="AffineInputFolding"/>), so the pixels themselves
/// are quantised.
/// </remarks>
public static class QdqQuantizer
{
    /// <summary>The first default-domain opset whose Quantize/DequantizeLinear take a per-axis scale.</summary>
    public const int MinimumOpset = 13;

    /// <summary>Whether the graph already holds quantisation or integer ops (quantising twice is refused).</summary>
    public static bool IsQuantized(ModelProto model) =>
        model.Graph.Node.Any(n => n.OpType is "QuantizeLinear" or "DequantizeLinear" or "QLinearConv" or "QLinearMatMul" or "MatMulInteger" or "ConvInteger");

    /// <summary>The tensors whose ranges <see cref="Quantize"/> needs: names of values of the float graph, in graph order.</summary>
    public static IReadOnlyList<string> CalibrationTensors(ModelProto model) => new Plan(model.Clone()).CalibratedTensors;

    /// <param name="ranges">The range of every tensor named by <see cref="CalibrationTensors"/>.</param>
    /// <returns>A quantised copy; <paramref name="model"/> is left unchanged.</returns>
    public static QdqQuantization Quantize(ModelProto model, IReadOnlyDictionary<string, ActivationRange> ranges)
    {
        var copy = model.Clone();
        var plan = new Plan(copy);
        return new QdqQuantization(copy, plan.Apply(ranges));
    }

    /// <summary>Which values of one graph are quantised, and how, worked out from the float graph alone.</summary>
    private sealed class Plan
    {
        private static readonly HashSet<string> ComputeOps = ["Conv", "MatMul", "Add", "AveragePool", "GlobalAveragePool"];
        private static readonly HashSet<string> ValuePreservingOps = ["MaxPool", "Pad", "Flatten", "Transpose", "Reshape"];

        private readonly GraphProto _graph;
        private readonly Dictionary<string, TensorProto> _initializers;
        private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _graphOutputs;
        private readonly GraphNames _names = new();

        /// <summary>Quantised values; a value-preserving op's output maps to the value whose quantisation it shares.</summary>
        private readonly HashSet<string> _quantized = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _sharesWith = new(StringComparer.Ordinal);
        private readonly List<NodeProto> _foldedRelus = [];
        private readonly HashSet<NodeProto> _floatConvolutions = new(ReferenceEqualityComparer.Instance);

        public Plan(ModelProto model)
        {
            var opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;
            if (opset < MinimumOpset)
                throw new InvalidDataException($"the model uses opset {opset}; QDQ quantisation needs opset {MinimumOpset} or later");
            _graph = model.Graph;
            if (IsQuantized(model))
                throw new InvalidDataException("the model is already quantised");
            FoldedNormalizations = AffineInputFolding.Apply(_graph);

            _initializers = _graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
            _graphOutputs = _graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var name in _initializers.Keys)
                _names.Reserve(name);
            foreach (var input in _graph.Input)
                _names.Reserve(input.Name);
            foreach (var node in _graph.Node)
            {
                _names.Reserve(node.Name);
                foreach (var output in node.Output)
                {
                    _producers[output] = node;
                    _names.Reserve(output);
                }
                foreach (var input in node.Input.Where(i => i.Length > 0))
                    (_consumers.TryGetValue(input, out var list) ? list : _consumers[input] = []).Add(node);
            }

            // ONNX Runtime has an integer convolution only for DQ → Conv → Q: a convolution whose output no int8 op reads
            // (say, a batch norm or a PReLU follows) would only pay for dequantising its weights, so it stays float,
            // and the values it alone needed go back to float in turn, until nothing changes.
            for (Propagate(); ; Propagate())
            {
                var unfused = _graph.Node.Where(n => n.OpType == "Conv" && QuantizedInputs(n).Count > 0
                    && !_quantized.Contains(n.Output[0]) && !_foldedRelus.Any(r => r.Input[0] == n.Output[0])).ToList();
                if (unfused.Count == 0)
                    break;
                _floatConvolutions.UnionWith(unfused);
            }

            CalibratedTensors = _graph.Input.Select(i => i.Name)
                .Concat(_graph.Node.SelectMany(n => n.Output))
                .Where(v => _quantized.Contains(v) && !_sharesWith.ContainsKey(v))
                .ToList();
        }

        public IReadOnlyList<string> CalibratedTensors { get; }

        public int FoldedNormalizations { get; }

        /// <summary>Works out the quantised values, the shared quantisations and the folded ReLUs from scratch.</summary>
        private void Propagate()
        {
            _quantized.Clear();
            _sharesWith.Clear();
            _foldedRelus.Clear();
            foreach (var node in _graph.Node.Where(n => ComputeOps.Contains(n.OpType)))
                foreach (var index in QuantizedInputs(node))
                    _quantized.Add(node.Input[index]);
            // A value-preserving op is quantised when its output is: its input then shares that quantisation.
            // Chains (pad → add, pool → pad → add) resolve by iterating to the fixed point.
            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var node in _graph.Node.Where(n => ValuePreservingOps.Contains(n.OpType) && _quantized.Contains(n.Output[0])))
                    if (QuantizedInputs(node).Count == 1 && !_sharesWith.ContainsKey(node.Output[0]))
                    {
                        _sharesWith[node.Output[0]] = node.Input[0];
                        _quantized.Add(node.Input[0]);
                        changed = true;
                    }
            }

            foreach (var relu in _graph.Node.Where(n => n.OpType == "Relu"))
            {
                var (input, output) = (relu.Input[0], relu.Output[0]);
                if (_quantized.Contains(output) && _producers.ContainsKey(input) && _consumers[input].Count == 1 && !_graphOutputs.Contains(input))
                    _foldedRelus.Add(relu);
            }
        }

        public QdqSummary Apply(IReadOnlyDictionary<string, ActivationRange> ranges)
        {
            var parameters = new Dictionary<string, (ActivationQuantization Quantization, string Scale, string ZeroPoint)>(StringComparer.Ordinal);
            foreach (var tensor in CalibratedTensors)
            {
                var quantization = ranges.TryGetValue(tensor, out var range)
                    ? ActivationQuantization.For(range)
                    : throw new ArgumentException($"no calibration range for tensor '{tensor}'", nameof(ranges));
                parameters[tensor] = (quantization,
                    AddFloatInitializer($"{tensor}_scale", [quantization.Scale], []),
                    AddInitializer($"{tensor}_zero_point", TensorProto.Types.DataType.Uint8, [], [quantization.ZeroPoint]));
            }
            (ActivationQuantization Quantization, string Scale, string ZeroPoint) Of(string tensor) =>
                _sharesWith.TryGetValue(tensor, out var source) ? Of(source) : parameters[tensor];

            // The folded ReLU's producer now writes the ReLU's output directly.
            foreach (var relu in _foldedRelus)
            {
                var producer = _producers[relu.Input[0]];
                producer.Output[producer.Output.IndexOf(relu.Input[0])] = relu.Output[0];
                var info = _graph.ValueInfo.FirstOrDefault(v => v.Name == relu.Input[0]);
                if (info is not null)
                    _graph.ValueInfo.Remove(info);
            }

            // Each quantised value gets a uint8 form and, for float readers, a dequantised form.
            var integer = _quantized.ToDictionary(t => t, t => _names.Claim($"{t}_quantized"), StringComparer.Ordinal);
            var dequantized = _quantized.ToDictionary(t => t, t => _names.Claim($"{t}_dequantized"), StringComparer.Ordinal);
            IEnumerable<NodeProto> QuantizeAndDequantize(string value)
            {
                var (_, scale, zero) = Of(value);
                yield return new NodeProto { OpType = "QuantizeLinear", Name = _names.Claim($"{value}/QuantizeLinear"), Input = { value, scale, zero }, Output = { integer[value] } };
                yield return Dequantize(value);
            }
            NodeProto Dequantize(string value)
            {
                var (_, scale, zero) = Of(value);
                return new NodeProto { OpType = "DequantizeLinear", Name = _names.Claim($"{value}/DequantizeLinear"), Input = { integer[value], scale, zero }, Output = { dequantized[value] } };
            }

            var nodes = new List<NodeProto>();
            foreach (var input in _graph.Input.Where(i => _quantized.Contains(i.Name)))
                nodes.AddRange(QuantizeAndDequantize(input.Name));

            var quantizedNodes = new Dictionary<string, int>(StringComparer.Ordinal);
            var floatNodes = new Dictionary<string, int>(StringComparer.Ordinal);
            var replacedWeights = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in _graph.Node.Where(n => !_foldedRelus.Contains(n)))
            {
                if (_sharesWith.ContainsKey(node.Output[0]))
                {
                    // A value-preserving op runs on the uint8 values themselves (what ONNX Runtime's own rewrite makes
                    // of DQ → MaxPool → Q; done here for every such op, as Pad has no such rewrite). Zero padding
                    // pads with the zero point.
                    Count(quantizedNodes, node.OpType);
                    var output = node.Output[0];
                    node.Input[0] = integer[node.Input[0]];
                    if (node.OpType == "Pad")
                    {
                        while (node.Input.Count < 3)
                            node.Input.Add("");
                        node.Input[2] = Of(output).ZeroPoint;
                    }
                    node.Output[0] = integer[output];
                    nodes.Add(node);
                    nodes.Add(Dequantize(output));
                    continue;
                }

                var quantizedInputs = QuantizedInputs(node);
                if (quantizedInputs.Count > 0 && quantizedInputs.All(i => _quantized.Contains(node.Input[i])))
                {
                    Count(quantizedNodes, node.OpType);
                    if (node.OpType is "Conv" or "MatMul")
                        nodes.AddRange(QuantizeWeights(node, Of(node.Input[0]).Quantization.Scale, replacedWeights));
                }
                else
                    Count(floatNodes, node.OpType);

                // Readers of a quantised value read its dequantised form, and a Shape its uint8 form: no reader may keep
                // the float value alive, or ONNX Runtime could not fuse its producer with the quantiser.
                for (var i = 0; i < node.Input.Count; i++)
                    if (_quantized.Contains(node.Input[i]))
                        node.Input[i] = node.OpType == "Shape" ? integer[node.Input[i]] : dequantized[node.Input[i]];
                nodes.Add(node);
                foreach (var output in node.Output.Where(_quantized.Contains))
                    nodes.AddRange(QuantizeAndDequantize(output));
            }

            // Dequantised forms nobody reads (a value read only by integer ops) are dropped.
            var read = nodes.SelectMany(n => n.Input).Concat(_graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
            nodes.RemoveAll(n => n.OpType == "DequantizeLinear" && !read.Contains(n.Output[0]));
            _graph.Node.Clear();
            _graph.Node.AddRange(nodes);
            var stillRead = nodes.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
            foreach (var name in replacedWeights.Where(w => !stillRead.Contains(w)))
                _graph.Initializer.Remove(_initializers[name]);
            return new QdqSummary(quantizedNodes, _foldedRelus.Count, FoldedNormalizations, _quantized.Count, floatNodes);
        }

        /// <summary>The inputs of <paramref name="node"/> that carry activations the int8 kernel reads, if it has one.</summary>
        private IReadOnlyList<int> QuantizedInputs(NodeProto node) => node.OpType switch
        {
            "Conv" when !_floatConvolutions.Contains(node) && IsFloatInitializer(node.Input[1], rank: 4) && (node.Input.Count < 3 || IsFloatInitializer(node.Input[2], rank: 1)) => [0],
            "MatMul" when IsFloatInitializer(node.Input[1], rank: 2) => [0],
            "Add" when node.Input.All(IsActivation) => [0, 1],
            "AveragePool" or "GlobalAveragePool" or "Flatten" or "Transpose" or "Reshape" => [0],
            "MaxPool" when node.Output.Count == 1 => [0], // a second output holds indices
            "Pad" when IsZeroConstantPad(node) => [0],
            _ => [],
        };

        private bool IsActivation(string name) => name.Length > 0 && !_initializers.ContainsKey(name);

        private bool IsFloatInitializer(string name, int rank) =>
            _initializers.TryGetValue(name, out var tensor) && tensor.DataType == (int)TensorProto.Types.DataType.Float && tensor.Dims.Count == rank;

        /// <summary>Zero padding keeps values and adds zeros, which every quantisation here represents exactly.</summary>
        private bool IsZeroConstantPad(NodeProto node)
        {
            var mode = node.Attribute.FirstOrDefault(a => a.Name == "mode");
            if (mode is not null && mode.S.ToStringUtf8() != "constant")
                return false;
            if (node.Input.Count < 3 || node.Input[2].Length == 0)
                return true;
            return _initializers.TryGetValue(node.Input[2], out var value) && OnnxTensors.FloatValues(value) is [0f];
        }

        /// <summary>
        /// DequantizeLinear nodes for the node's int8 weight (per output channel: axis 0 of a Conv's [M, C, kh, kw],
        /// axis 1 of a MatMul's [K, N]) and a Conv's int32 bias, whose scale is input scale times weight scale.
        /// </summary>
        private IEnumerable<NodeProto> QuantizeWeights(NodeProto node, float inputScale, HashSet<string> replaced)
        {
            var axis = node.OpType == "Conv" ? 0 : 1;
            var weight = _initializers[node.Input[1]];
            var quantized = WeightQuantization.Quantize(OnnxTensors.FloatValues(weight), weight.Dims.ToArray(), axis);
            var weightName = weight.Name;
            var int8 = AddInitializer($"{weightName}_int8", TensorProto.Types.DataType.Int8, quantized.Dims, MemoryMarshal.AsBytes(quantized.Values.AsSpan()));
            var scale = AddFloatInitializer($"{weightName}_scale", quantized.Scales, [quantized.Scales.Length]);
            var zero = AddInitializer($"{weightName}_zero_point", TensorProto.Types.DataType.Int8, [quantized.Scales.Length], new byte[quantized.Scales.Length]);
            node.Input[1] = _names.Claim($"{weightName}_dequantized");
            replaced.Add(weightName);
            yield return Dequantize(int8, scale, zero, node.Input[1], axis);

            if (node.OpType != "Conv" || node.Input.Count < 3 || node.Input[2].Length == 0)
                yield break;
            var bias = _initializers[node.Input[2]];
            var biasName = bias.Name;
            var biasScales = quantized.Scales.Select(s => inputScale * s).ToArray();
            var int32 = WeightQuantization.QuantizeBias(OnnxTensors.FloatValues(bias), inputScale, quantized.Scales);
            var biasValues = AddInitializer($"{biasName}_int32", TensorProto.Types.DataType.Int32, [int32.Length], MemoryMarshal.AsBytes(int32.AsSpan()));
            var biasScale = AddFloatInitializer($"{biasName}_scale", biasScales, [biasScales.Length]);
            var biasZero = AddInitializer($"{biasName}_zero_point", TensorProto.Types.DataType.Int32, [int32.Length], new byte[4 * int32.Length]);
            node.Input[2] = _names.Claim($"{biasName}_dequantized");
            replaced.Add(biasName);
            yield return Dequantize(biasValues, biasScale, biasZero, node.Input[2], 0);
        }

        private NodeProto Dequantize(string values, string scale, string zero, string output, long axis) => new()
        {
            OpType = "DequantizeLinear",
            Name = _names.Claim($"{output}/DequantizeLinear"),
            Input = { values, scale, zero },
            Output = { output },
            Attribute = { Attribute("axis", axis) },
        };

        private string AddFloatInitializer(string nameHint, float[] values, long[] dims) =>
            AddInitializer(nameHint, TensorProto.Types.DataType.Float, dims, MemoryMarshal.AsBytes(values.AsSpan()));

        private string AddInitializer(string nameHint, TensorProto.Types.DataType type, long[] dims, ReadOnlySpan<byte> littleEndian)
        {
            var tensor = OnnxTensors.Raw(_names.Claim(nameHint), type, dims, littleEndian);
            _graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        private static void Count(Dictionary<string, int> counts, string opType) =>
            counts[opType] = counts.GetValueOrDefault(opType) + 1;
    }
}
