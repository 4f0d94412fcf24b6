using FaceService.Nets.Layers;
using FaceService.Nets.Onnx;
using FaceService.Nets.Quantization;
using FaceService.Nets.Teacher;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace FaceService.Nets.Tests;

/// <summary>The static int8 quantiser's arithmetic and the graph it writes, on nets that are not the shipped models.</summary>
public sealed class QuantizationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("quantization-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Per_channel_int8_weights_round_trip_within_half_a_step_of_their_own_channel()
    {
        // Four output channels whose magnitudes differ by 1000x: a per-tensor scale would zero the small ones.
        var random = new Random(7);
        long[] dims = [4, 3, 3, 3];
        var magnitudes = new[] { 1e-3f, 0.1f, 1f, 0f };
        var weights = Enumerable.Range(0, 4 * 27).Select(i => magnitudes[i / 27] * (2 * random.NextSingle() - 1)).ToArray();

        var quantized = WeightQuantization.Quantize(weights, dims, axis: 0);
        var restored = WeightQuantization.Dequantize(quantized);

        Assert.Equal(4, quantized.Scales.Length);
        Assert.All(quantized.Values, v => Assert.InRange(v, -127, 127));
        for (var c = 0; c < 3; c++)
        {
            var channel = weights.AsSpan(c * 27, 27).ToArray();
            Assert.Equal(channel.Max(Math.Abs) / 127, quantized.Scales[c], 1e-9);
            Assert.Contains(quantized.Values.AsSpan(c * 27, 27).ToArray(), v => Math.Abs((int)v) == 127);
            for (var i = c * 27; i < (c + 1) * 27; i++)
                Assert.InRange(Math.Abs(restored[i] - weights[i]), 0, quantized.Scales[c] / 2 * 1.0001);
        }
        Assert.All(restored.AsSpan(3 * 27, 27).ToArray(), v => Assert.Equal(0f, v));
        Assert.True(quantized.Scales[3] > 0, "an all-zero channel still gets a valid scale");
    }

    [Fact]
    public void Weights_quantise_along_the_requested_axis()
    {
        // A MatMul weight [K, N] is quantised per output column (axis 1).
        float[] weights = [1f, 100f, -0.5f, 50f, 0.25f, -100f];
        var quantized = WeightQuantization.Quantize(weights, [3, 2], axis: 1);
        Assert.Equal([1f / 127, 100f / 127], quantized.Scales);
        Assert.Equal([127, 127, -64, 64, 32, -127], quantized.Values.Select(v => (int)v));
    }

    [Fact]
    public void Biases_quantise_to_int32_in_the_accumulators_units()
    {
        var bias = WeightQuantization.QuantizeBias([0.5f, -1f], inputScale: 0.01f, weightScales: [0.001f, 0.1f]);
        Assert.Equal([50000, -1000], bias);
    }

    [Fact]
    public void Activation_quantization_keeps_zero_exact_and_gives_a_relu_range_zero_point_0()
    {
        var relu = ActivationQuantization.For(new ActivationRange(0f, 5.1f));
        Assert.Equal(0, relu.ZeroPoint);
        Assert.Equal(5.1f / 255, relu.Scale, 1e-7);
        Assert.Equal(0, relu.Quantize(-3f)); // the uint8 floor is the ReLU

        var signed = ActivationQuantization.For(new ActivationRange(-1.3f, 2.9f));
        Assert.Equal(0f, signed.Dequantize(signed.Quantize(0f)));
        foreach (var value in new[] { -1.3f, -0.77f, 0.01f, 1.5f, 2.9f })
            Assert.InRange(Math.Abs(signed.Dequantize(signed.Quantize(value)) - value), 0, signed.Scale / 2 * 1.0001);

        // A positive-only range still includes zero, so that zero padding stays exact.
        Assert.Equal(0f, ActivationQuantization.For(new ActivationRange(2f, 4f)).Dequantize(0));
        Assert.Throws<ArgumentException>(() => ActivationQuantization.For(ActivationRange.Empty));
    }

    [Fact]
    public void The_quantised_graph_has_QDQ_pairs_and_int8_per_channel_weights_and_ONNX_Runtime_fuses_every_convolution()
    {
        var model = SmallResNet();
        var convolutions = model.Graph.Node.Count(n => n.OpType == "Conv");
        var tensors = QdqQuantizer.CalibrationTensors(model);
        // The graph's structure does not depend on the ranges (accuracy is tested with calibrated ones in Training.Tests).
        var ranges = tensors.ToDictionary(t => t, _ => new ActivationRange(0f, 6f));

        var (quantized, summary) = QdqQuantizer.Quantize(model, ranges);

        var nodes = quantized.Graph.Node;
        Assert.Contains(tensors, t => t == "input"); // the normalisation is folded: pixels are quantised
        Assert.Equal(convolutions, summary.QuantizedNodes["Conv"]);
        Assert.Equal(1, summary.FoldedNormalizations);
        Assert.DoesNotContain(nodes, n => n.OpType is "Relu" or "Div");
        Assert.Contains(nodes, n => n.OpType == "QuantizeLinear");
        var initializers = quantized.Graph.Initializer.ToDictionary(t => t.Name);
        var dequantizers = nodes.Where(n => n.OpType == "DequantizeLinear").ToDictionary(n => n.Output[0]);
        foreach (var conv in nodes.Where(n => n.OpType == "Conv"))
        {
            var weight = dequantizers[conv.Input[1]];
            Assert.Equal((int)TensorProto.Types.DataType.Int8, initializers[weight.Input[0]].DataType);
            Assert.Equal(initializers[weight.Input[0]].Dims[0], initializers[weight.Input[1]].Dims.Single()); // one scale per output channel
            Assert.Equal(0, weight.Attribute.Single(a => a.Name == "axis").I);
            Assert.Equal((int)TensorProto.Types.DataType.Int32, initializers[dequantizers[conv.Input[2]].Input[0]].DataType);
            Assert.Equal("DequantizeLinear", nodes.Single(n => n.Output.Contains(conv.Input[0])).OpType);
        }
        Assert.Equal(convolutions, quantized.Graph.Initializer.Count(t => t.DataType == (int)TensorProto.Types.DataType.Int8 && t.Dims.Count == 4));
        Assert.DoesNotContain(quantized.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float && t.Dims.Count == 4);

        var optimized = OptimizedOpTypes(quantized);
        Assert.Equal(convolutions, optimized.Count(op => op == "QLinearConv"));
        Assert.DoesNotContain("Conv", optimized);
        Assert.Contains("QLinearAdd", optimized);
        Assert.Contains("MatMulIntegerToFloat", optimized);
    }

    [Fact]
    public void A_convolution_whose_output_no_int8_op_reads_stays_float()
    {
        // conv1 → batch norm (no int8 kernel) → ReLU → conv2 → global pool: only conv2 can become QLinearConv.
        torch.manual_seed(6);
        var net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Conv2d(4, 4, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten());
        var model = OnnxExporter.ToModel(net, new OnnxExportOptions(["N", 12, 12, 3], ["N", 4]));
        var ranges = QdqQuantizer.CalibrationTensors(model).ToDictionary(t => t, _ => new ActivationRange(0f, 6f));

        var (quantized, summary) = QdqQuantizer.Quantize(model, ranges);

        Assert.Equal(1, summary.QuantizedNodes["Conv"]);
        Assert.Equal(1, summary.FloatNodes["Conv"]);
        var optimized = OptimizedOpTypes(quantized);
        Assert.Equal(1, optimized.Count(op => op == "QLinearConv"));
        // The float convolution keeps its float weights and reads a float input.
        var floatWeights = quantized.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float).Select(t => t.Name).ToHashSet();
        var floatConv = Assert.Single(quantized.Graph.Node, n => n.OpType == "Conv" && floatWeights.Contains(n.Input[1]));
        Assert.DoesNotContain(quantized.Graph.Node, n => n.OpType == "DequantizeLinear" && n.Output.Contains(floatConv.Input[0]));
    }

    [Fact]
    public void An_already_quantised_model_and_missing_ranges_are_refused()
    {
        var model = SmallResNet();
        var ranges = QdqQuantizer.CalibrationTensors(model).ToDictionary(t => t, _ => new ActivationRange(0f, 1f));
        var quantized = QdqQuantizer.Quantize(model, ranges).Model;

        Assert.Contains("already quantised", Assert.Throws<InvalidDataException>(() => QdqQuantizer.CalibrationTensors(quantized)).Message);
        ranges.Remove(ranges.Keys.First());
        Assert.Contains("no calibration range", Assert.Throws<ArgumentException>(() => QdqQuantizer.Quantize(model, ranges)).Message);
    }

    /// <summary>The op types ONNX Runtime actually runs after its graph optimisations (QDQ fusion included).</summary>
    private List<string> OptimizedOpTypes(ModelProto model)
    {
        var path = Path.Combine(_directory, "optimized.onnx");
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = path })
        using (new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model), options))
        {
        }
        return OnnxModelFile.Read(path).Graph.Node.Select(n => n.OpType).ToList();
    }

    /// <summary>The ops of the dlib ResNet students at toy size: normalisation, stem, pool, residual and down blocks, head.</summary>
    private static ModelProto SmallResNet()
    {
        torch.manual_seed(5);
        var net = nn.Sequential(
            ("normalize", new InputNormalization([120f, 110f, 100f])),
            ("stem", nn.Sequential(nn.Conv2d(3, 8, 3, stride: 2), nn.ReLU())),
            ("pool", nn.MaxPool2d(3, stride: 2)),
            ("block", new Residual(nn.Sequential(nn.Conv2d(8, 8, 3, padding: 1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding: 1)), activation: nn.ReLU())),
            ("down", new DlibResidualDownBlock(nn.Sequential(nn.Conv2d(8, 16, 3, stride: 2), nn.ReLU(), nn.Conv2d(16, 16, 3, padding: 1)), 8, 16)),
            ("gap", nn.AdaptiveAvgPool2d(1)),
            ("flatten", nn.Flatten()),
            ("fc", nn.Linear(16, 4, hasBias: false)));
        return OnnxExporter.ToModel(net, new OnnxExportOptions(["N", 40, 40, 3], ["N", 4]));
    }
}
