using FaceService.Nets.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Training.Backbones;

/// <summary>
/// MobileFaceNet (Chen et al., 2018) for small inputs, with ReLU by default (see <see cref="StudentOptions.Activation"/>):
/// a 3x3 stride-2 stem and a depthwise 3x3, five stages of
/// inverted-residual bottlenecks (1x1 expand, depthwise 3x3, linear 1x1 project, identity shortcut at stride 1),
/// a 1x1 conv, a global depthwise conv (GDC) over the final map and a linear layer into the teacher's 128-D space.
/// The output is not L2-normalised, like the teacher's. Input: NHWC RGB 0..255, normalised inside; built from
/// standard layers and <see cref="Residual"/>, so the generic ONNX writer exports it.
/// </summary>
public static class MobileFaceNet
{
    /// <summary>(expansion t, output channels c, stride s) of the five stages; repeats come from the options.</summary>
    private static readonly (int Expansion, int Channels, int Stride)[] Stages =
        [(2, 64, 2), (4, 128, 2), (2, 128, 1), (4, 128, 2), (2, 128, 1)];

    private const int StemChannels = 64;

    public static Sequential Create(StudentOptions options)
    {
        if (options.StageRepeats.Count != Stages.Length || options.StageRepeats.Any(n => n < 1))
            throw new ArgumentException($"stageRepeats needs {Stages.Length} positive counts.");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InputSize, 16);

        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            // (x − 127.5) / 255: the nets' input layer; the first BatchNorm absorbs the scale.
            ("input", new InputNormalization([127.5f, 127.5f, 127.5f])),
            ("stem", ConvBnActivation(3, StemChannels, kernel: 3, stride: 2, groups: 1, options.Activation)),
            ("stem_dw", ConvBnActivation(StemChannels, StemChannels, kernel: 3, stride: 1, groups: StemChannels, options.Activation)),
        };
        var channels = StemChannels;
        var size = Downsampled(options.InputSize);
        for (var s = 0; s < Stages.Length; s++)
        {
            var (t, c, stride) = Stages[s];
            for (var i = 0; i < options.StageRepeats[s]; i++)
            {
                var blockStride = i == 0 ? stride : 1;
                var block = Bottleneck(channels, c, t, blockStride, options.Activation);
                layers.Add(($"stage{s + 1}_{i + 1}", blockStride == 1 && channels == c ? new Residual(block) : block));
                channels = c;
                if (blockStride == 2)
                    size = Downsampled(size);
            }
        }

        layers.Add(("head", ConvBnActivation(channels, options.HeadChannels, kernel: 1, stride: 1, groups: 1, options.Activation)));
        // GDC: one weight per channel and position, where a global average pool would weigh the face's centre
        // and its border alike.
        layers.Add(("gdc", nn.Sequential(
            ("conv", nn.Conv2d(options.HeadChannels, options.HeadChannels, kernel_size: size, groups: options.HeadChannels, bias: false)),
            ("bn", nn.BatchNorm2d(options.HeadChannels)))));
        layers.Add(("flatten", nn.Flatten()));
        layers.Add(("embedding", nn.Linear(options.HeadChannels, options.EmbeddingSize)));
        return nn.Sequential(layers);
    }

    /// <summary>Spatial size after a 3x3 stride-2 conv with padding 1.</summary>
    private static int Downsampled(int size) => (size + 1) / 2;

    private static Sequential Bottleneck(int inChannels, int outChannels, int expansion, int stride, StudentActivation activation)
    {
        var hidden = inChannels * expansion;
        return nn.Sequential(
            ("expand", ConvBnActivation(inChannels, hidden, kernel: 1, stride: 1, groups: 1, activation)),
            ("depthwise", ConvBnActivation(hidden, hidden, kernel: 3, stride: stride, groups: hidden, activation)),
            ("project", nn.Conv2d(hidden, outChannels, kernel_size: 1, bias: false)),
            ("project_bn", nn.BatchNorm2d(outChannels)));
    }

    private static Sequential ConvBnActivation(int inChannels, int outChannels, int kernel, int stride, int groups, StudentActivation activation) => nn.Sequential(
        ("conv", nn.Conv2d(inChannels, outChannels, kernel_size: kernel, stride: stride, padding: kernel / 2, groups: groups, bias: false)),
        ("bn", nn.BatchNorm2d(outChannels)),
        activation == StudentActivation.PReLU ? ("prelu", nn.PReLU(outChannels, init: 0.25)) : ("relu", nn.ReLU()));
}
