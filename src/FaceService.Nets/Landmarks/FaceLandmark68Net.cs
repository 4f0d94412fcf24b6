using FaceService.Nets.Layers;
using FaceService.Nets.Onnx;
using FaceService.Nets.Tfjs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Nets.Landmarks;

/// <summary>
/// face-api's 68-point landmark nets, full (<c>face_landmark_68_model</c>: four dense blocks of four convolutions,
/// 32..256 channels) and tiny (<c>face_landmark_68_tiny_model</c>: three blocks of three, 32..128). NHWC RGB
/// 0..255 <c>[N, 112, 112, 3]</c> in; out <c>[N, 136]</c> = (x0, y0, x1, y1, ...) relative to the input square.
/// </summary>
public sealed class FaceLandmark68Net : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    public const int InputSize = 112;
    public const int PointCount = 68;
    public static readonly float[] MeanRgb = [122.782f, 117.001f, 104.298f];

    private readonly Sequential layers;

    private FaceLandmark68Net(Sequential layers) : base(nameof(FaceLandmark68Net))
    {
        this.layers = layers;
        RegisterComponents();
    }

    /// <summary>
    /// Builds either variant from its weights; the number of dense blocks and of convolutions per block is read
    /// from the tensor names (<c>dense{b}/conv{i}</c>).
    /// </summary>
    public static FaceLandmark68Net FromWeights(TfjsWeights weights)
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)> { ("normalize", new InputNormalization(MeanRgb)) };
        var blockCount = 0;
        while (weights.Contains($"dense{blockCount}/conv0/bias"))
            blockCount++;
        if (blockCount == 0)
            throw new ArgumentException("these are not face-api landmark weights (no dense0 block)", nameof(weights));

        var size = (long)InputSize;
        for (var b = 0; b < blockCount; b++)
        {
            var convs = new List<Sequential> { DownConv(weights, $"dense{b}/conv0") };
            for (var i = 1; weights.Contains($"dense{b}/conv{i}/bias"); i++)
                convs.Add(TfjsLayers.SeparableConv(weights, $"dense{b}/conv{i}", stride: 1, padding: 1));
            modules.Add(($"dense{b}", new DenseBlock(convs)));
            size /= 2;
        }
        // face-api's avgPool(out, [size, size], [2, 2], 'valid') covers the whole final map.
        modules.Add(("pool", nn.AvgPool2d(size, stride: 2)));
        modules.Add(("flatten", nn.Flatten()));
        modules.Add(("fc", TfjsLayers.Dense(weights["fc/weights"], weights["fc/bias"])));

        var net = new FaceLandmark68Net(nn.Sequential(modules));
        net.eval();
        foreach (var parameter in net.parameters())
            parameter.requires_grad = false;
        return net;
    }

    /// <summary>
    /// The block's first convolution: stride 2 with TF 'SAME' padding, which on the even sizes this net sees
    /// (112, 56, 28, 14) is one zero row/column after and none before. Block 0 uses a plain convolution
    /// (<c>filters</c>), the others a separable one.
    /// </summary>
    private static Sequential DownConv(TfjsWeights weights, string prefix)
    {
        var samePadding = nn.ZeroPad2d((0, 1, 0, 1));
        return weights.Contains($"{prefix}/filters")
            ? nn.Sequential(("pad", samePadding), ("conv", TfjsLayers.Conv(weights[$"{prefix}/filters"], weights[$"{prefix}/bias"], stride: 2)))
            : nn.Sequential(("pad", samePadding), ("separable", TfjsLayers.SeparableConv(weights, prefix, stride: 2, padding: 0)));
    }

    public override Tensor forward(Tensor nhwc) => layers.forward(nhwc);

    public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope) => graph.Emit(layers, input, scope);
}
