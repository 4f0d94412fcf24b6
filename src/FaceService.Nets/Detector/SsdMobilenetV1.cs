using FaceService.Nets.Layers;
using FaceService.Nets.Onnx;
using FaceService.Nets.Tfjs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Nets.Detector;

/// <summary>
/// face-api's SSD MobileNetV1 face detector: NHWC RGB 0..255 <c>[N, 512, 512, 3]</c> in (the image padded
/// bottom/right to a square and legacy-bilinear resized, as for the tiny detector), out <c>[N, 5118, 5]</c>: per
/// anchor the decoded box (top, left, bottom, right, relative to the 512x512 input) and the face score (sigmoid).
/// This is face-api's <c>forwardInput</c>; thresholding, NMS and undoing the padding are the caller's.
/// </summary>
/// <remarks>
/// MobileNetV1 (conv 3x3 stride 2, then 13 depthwise-separable pairs, ReLU6 throughout, the depthwise batch norms
/// kept as batch norms with epsilon 0.001), four extra feature maps, and one box predictor per feature map (conv11
/// 32x32 with 3 anchors per cell, conv13 16x16, then 8x8, 4x4, 2x2, 1x1 with 6 each). The anchors are in the weights
/// (<c>Output/extra_dim</c>), so the input size is fixed at 512.
/// </remarks>
public sealed class SsdMobilenetV1 : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    public const int InputSize = 512;
    public const int AnchorCount = 5118;
    /// <summary>top, left, bottom, right, score.</summary>
    public const int ValuesPerAnchor = 5;

    /// <summary>face-api's depthwise batch-norm epsilon (float32 0.001).</summary>
    private const double BatchNormEpsilon = 0.0010000000474974513;

    private readonly InputNormalization normalize;
    private readonly Sequential backboneToConv11;
    private readonly Sequential backboneTail;
    private readonly Sequential[] extraFeatureMaps;
    private readonly SsdBoxPredictor[] boxPredictors;
    private readonly SsdBoxDecoder decoder;

    private SsdMobilenetV1(Sequential backboneToConv11, Sequential backboneTail, Sequential[] extraFeatureMaps,
                           SsdBoxPredictor[] boxPredictors, SsdBoxDecoder decoder) : base(nameof(SsdMobilenetV1))
    {
        normalize = new InputNormalization([127.5f, 127.5f, 127.5f], divisor: 127.5f);
        this.backboneToConv11 = backboneToConv11;
        this.backboneTail = backboneTail;
        this.extraFeatureMaps = extraFeatureMaps;
        this.boxPredictors = boxPredictors;
        this.decoder = decoder;
        register_module("normalize", normalize);
        register_module("backbone_to_conv11", backboneToConv11);
        register_module("backbone_tail", backboneTail);
        for (var i = 0; i < extraFeatureMaps.Length; i++)
            register_module($"extra{i}", extraFeatureMaps[i]);
        for (var i = 0; i < boxPredictors.Length; i++)
            register_module($"box_predictor{i}", boxPredictors[i]);
        register_module("decoder", decoder);
    }

    /// <summary>Builds the net from <c>ssd_mobilenetv1_model-weights_manifest.json</c>.</summary>
    public static SsdMobilenetV1 FromWeights(TfjsWeights weights)
    {
        var backbone = new List<(string, nn.Module<Tensor, Tensor>)> { ("conv0", PointwiseConv(weights, "MobilenetV1/Conv2d_0_pointwise", stride: 2)) };
        for (var i = 1; i <= 13; i++)
        {
            // MobileNetV1 halves the size in pairs 2, 4, 6 and 12: 256 -> 128 -> 64 -> 32 -> 16.
            var stride = i is 2 or 4 or 6 or 12 ? 2 : 1;
            backbone.Add(($"conv{i}", nn.Sequential(
                ("depthwise", DepthwiseConv(weights, $"MobilenetV1/Conv2d_{i}_depthwise", stride)),
                ("pointwise", PointwiseConv(weights, $"MobilenetV1/Conv2d_{i}_pointwise", stride: 1)))));
        }

        // Four extra feature maps, each a 1x1 reduction then a 3x3 stride-2 convolution: 16 -> 8 -> 4 -> 2 -> 1.
        var extras = Enumerable.Range(0, 4).Select(i => nn.Sequential(
            ("reduce", PointwiseConv(weights, $"Prediction/Conv2d_{2 * i}_pointwise", stride: 1)),
            ("down", PointwiseConv(weights, $"Prediction/Conv2d_{2 * i + 1}_pointwise", stride: 2)))).ToArray();

        var predictors = Enumerable.Range(0, 6).Select(i => new SsdBoxPredictor(
            TfjsLayers.Conv(weights[$"Prediction/BoxPredictor_{i}/BoxEncodingPredictor/weights"], weights[$"Prediction/BoxPredictor_{i}/BoxEncodingPredictor/biases"]),
            TfjsLayers.Conv(weights[$"Prediction/BoxPredictor_{i}/ClassPredictor/weights"], weights[$"Prediction/BoxPredictor_{i}/ClassPredictor/biases"]))).ToArray();

        var net = new SsdMobilenetV1(
            nn.Sequential(backbone.Take(12)), nn.Sequential(backbone.Skip(12)), extras, predictors,
            new SsdBoxDecoder(weights["Output/extra_dim"]));
        net.eval();
        foreach (var parameter in net.parameters())
            parameter.requires_grad = false;
        return net;
    }

    /// <summary>
    /// face-api's <c>pointwiseConvLayer</c> (any kernel size, despite the name): convolution with TF 'SAME' padding,
    /// plus the folded batch-norm offset, ReLU6.
    /// </summary>
    private static Sequential PointwiseConv(TfjsWeights weights, string prefix, long stride)
    {
        var filters = weights[$"{prefix}/weights"];
        var conv = TfjsLayers.Conv(filters, weights[$"{prefix}/convolution_bn_offset"], stride, padding: stride == 1 ? filters.Shape[0] / 2 : 0);
        return stride == 1
            ? nn.Sequential(("conv", conv), ("relu6", nn.ReLU6()))
            : nn.Sequential(("pad", StrideTwoSamePadding()), ("conv", conv), ("relu6", nn.ReLU6()));
    }

    /// <summary>face-api's <c>depthwiseConvLayer</c>: depthwise 3x3 with TF 'SAME' padding, batch norm, ReLU6.</summary>
    private static Sequential DepthwiseConv(TfjsWeights weights, string prefix, long stride)
    {
        var conv = TfjsLayers.DepthwiseConv(weights[$"{prefix}/depthwise_weights"], stride, padding: stride == 1 ? 1 : 0);
        var norm = TfjsLayers.BatchNorm(weights[$"{prefix}/BatchNorm/gamma"], weights[$"{prefix}/BatchNorm/beta"],
                                        weights[$"{prefix}/BatchNorm/moving_mean"], weights[$"{prefix}/BatchNorm/moving_variance"], BatchNormEpsilon);
        return stride == 1
            ? nn.Sequential(("conv", conv), ("norm", norm), ("relu6", nn.ReLU6()))
            : nn.Sequential(("pad", StrideTwoSamePadding()), ("conv", conv), ("norm", norm), ("relu6", nn.ReLU6()));
    }

    /// <summary>
    /// TF 'SAME' for a 3x3 stride-2 convolution on the even sizes this net sees (512 down to 2): one zero row and
    /// column after, none before.
    /// </summary>
    private static ZeroPad2d StrideTwoSamePadding() => nn.ZeroPad2d((0, 1, 0, 1));

    public override Tensor forward(Tensor nhwc)
    {
        using var scope = NewDisposeScope();
        var featureMaps = new List<Tensor> { backboneToConv11.forward(normalize.forward(nhwc)) };
        featureMaps.Add(backboneTail.forward(featureMaps[0]));
        foreach (var extra in extraFeatureMaps)
            featureMaps.Add(extra.forward(featureMaps[^1]));
        var predictions = cat(featureMaps.Select((map, i) => boxPredictors[i].forward(map)).ToList(), 1);
        return decoder.forward(predictions).MoveToOuterDisposeScope();
    }

    public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope)
    {
        var normalized = graph.Emit(normalize, input, $"{scope}/normalize");
        var featureMaps = new List<string> { graph.Emit(backboneToConv11, normalized, $"{scope}/backbone_to_conv11") };
        featureMaps.Add(graph.Emit(backboneTail, featureMaps[0], $"{scope}/backbone_tail"));
        for (var i = 0; i < extraFeatureMaps.Length; i++)
            featureMaps.Add(graph.Emit(extraFeatureMaps[i], featureMaps[^1], $"{scope}/extra{i}"));
        var predictions = graph.AddNode("Concat",
            featureMaps.Select((map, i) => graph.Emit(boxPredictors[i], map, $"{scope}/box_predictor{i}")).ToList(),
            scope, [OnnxGraphBuilder.Attribute("axis", 1L)]);
        return graph.Emit(decoder, predictions, $"{scope}/decoder");
    }
}
