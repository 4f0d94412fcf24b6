using FaceService.Nets.Layers;
using FaceService.Nets.Onnx;
using FaceService.Nets.Tfjs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Nets.Detector;

/// <summary>
/// face-api's tiny face detector (Tiny-YOLOv2 with separable convolutions): NHWC RGB 0..255 <c>[N, S, S, 3]</c>
/// with S a multiple of 32, out the raw grid <c>[N, 25, S/32, S/32]</c> (NCHW; channel 5a+k = anchor a,
/// k: tx, ty, tw, th, objectness logit). Decoding and NMS are the caller's.
/// </summary>
public sealed class TinyFaceDetector : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    public const int Stride = 32;
    public const int DefaultInputSize = 416;
    public const int OutputChannels = 25;
    public static readonly float[] MeanRgb = [117.001f, 114.697f, 97.404f];

    /// <summary>Anchor (width, height) in grid cells, from the package's <c>src/tinyFaceDetector/const.ts</c>.</summary>
    public static readonly (double Width, double Height)[] Anchors =
        [(1.603231, 2.094468), (6.041143, 7.080126), (2.882459, 3.518061), (4.266906, 5.178857), (9.041765, 10.66308)];

    /// <summary>face-api's leaky ReLU slope.</summary>
    private const double LeakySlope = 0.1;

    private readonly Sequential layers;

    private TinyFaceDetector(Sequential layers) : base(nameof(TinyFaceDetector))
    {
        this.layers = layers;
        RegisterComponents();
    }

    /// <summary>Builds the net from <c>tiny_face_detector_model-weights_manifest.json</c>.</summary>
    public static TinyFaceDetector FromWeights(TfjsWeights weights)
    {
        var layers = nn.Sequential(
            ("normalize", new InputNormalization(MeanRgb)),
            ("conv0", TfjsLayers.Conv(weights["conv0/filters"], weights["conv0/bias"])),
            ("leaky0", nn.LeakyReLU(LeakySlope)),
            ("pool0", new TfSameMaxPool2d(2, 2)),
            ("conv1", TfjsLayers.SeparableConv(weights, "conv1", stride: 1, padding: 1)),
            ("leaky1", nn.LeakyReLU(LeakySlope)),
            ("pool1", new TfSameMaxPool2d(2, 2)),
            ("conv2", TfjsLayers.SeparableConv(weights, "conv2", stride: 1, padding: 1)),
            ("leaky2", nn.LeakyReLU(LeakySlope)),
            ("pool2", new TfSameMaxPool2d(2, 2)),
            ("conv3", TfjsLayers.SeparableConv(weights, "conv3", stride: 1, padding: 1)),
            ("leaky3", nn.LeakyReLU(LeakySlope)),
            ("pool3", new TfSameMaxPool2d(2, 2)),
            ("conv4", TfjsLayers.SeparableConv(weights, "conv4", stride: 1, padding: 1)),
            ("leaky4", nn.LeakyReLU(LeakySlope)),
            ("pool4", new TfSameMaxPool2d(2, 2)),
            ("conv5", TfjsLayers.SeparableConv(weights, "conv5", stride: 1, padding: 1)),
            ("leaky5", nn.LeakyReLU(LeakySlope)),
            ("pool5", new TfSameMaxPool2d(2, 1)),
            ("conv8", TfjsLayers.Conv(weights["conv8/filters"], weights["conv8/bias"])));
        var net = new TinyFaceDetector(layers);
        net.eval();
        foreach (var parameter in net.parameters())
            parameter.requires_grad = false;
        return net;
    }

    public override Tensor forward(Tensor nhwc) => layers.forward(nhwc);

    public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope) => graph.Emit(layers, input, scope);
}
