using FaceService.Nets.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Nets.Detector;

/// <summary>
/// One SSD box predictor: 1x1 convolutions for the box encodings (A x 4 channels) and the class logits (A x 3) of
/// a feature map with A anchors per cell, flattened to <c>[N, H·W·A, 7]</c> in TF's (row, col, anchor) order:
/// per anchor ty, tx, th, tw, then the background, face and unused class logits.
/// </summary>
public sealed class SsdBoxPredictor : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    public const int EncodingSize = 4;
    public const int ClassCount = 3;

    private readonly Conv2d boxEncoding;
    private readonly Conv2d classLogits;

    public SsdBoxPredictor(Conv2d boxEncoding, Conv2d classLogits) : base(nameof(SsdBoxPredictor))
    {
        var anchors = boxEncoding.out_channels / EncodingSize;
        if (boxEncoding.out_channels % EncodingSize != 0 || classLogits.out_channels != anchors * ClassCount)
            throw new ArgumentException(
                $"box encodings ({boxEncoding.out_channels} channels) and class logits ({classLogits.out_channels}) do not describe the same anchors");
        this.boxEncoding = boxEncoding;
        this.classLogits = classLogits;
        RegisterComponents();
    }

    public override Tensor forward(Tensor nchw)
    {
        using var scope = NewDisposeScope();
        var batch = nchw.shape[0];
        var boxes = boxEncoding.forward(nchw).permute(0, 2, 3, 1).reshape(batch, -1, EncodingSize);
        var classes = classLogits.forward(nchw).permute(0, 2, 3, 1).reshape(batch, -1, ClassCount);
        return cat([boxes, classes], 2).MoveToOuterDisposeScope();
    }

    public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope) =>
        graph.AddNode("Concat",
            [PerAnchor(graph, graph.Emit(boxEncoding, input, $"{scope}/box_encoding"), EncodingSize, $"{scope}/box_encoding"),
             PerAnchor(graph, graph.Emit(classLogits, input, $"{scope}/class_logits"), ClassCount, $"{scope}/class_logits")],
            scope, [OnnxGraphBuilder.Attribute("axis", 2L)]);

    /// <summary>NCHW <c>[N, A·k, H, W]</c> → <c>[N, H·W·A, k]</c>.</summary>
    private static string PerAnchor(OnnxGraphBuilder graph, string nchw, long valuesPerAnchor, string scope)
    {
        var nhwc = graph.AddNode("Transpose", [nchw], scope, [OnnxGraphBuilder.Attribute("perm", [0L, 2, 3, 1])]);
        // Reshape's 0 copies the batch dimension.
        return graph.AddNode("Reshape", [nhwc, graph.AddInt64Initializer($"{scope}/shape", 0, -1, valuesPerAnchor)], scope, outputRank: 3);
    }
}
