using FaceService.Nets.Onnx;
using FaceService.Nets.Tfjs;
using TorchSharp;
using static TorchSharp.torch;

namespace FaceService.Nets.Detector;

/// <summary>
/// face-api's SSD output layer: <c>[N, A, 7]</c> box predictions (ty, tx, th, tw, 3 class logits) → <c>[N, A, 5]</c>
/// (top, left, bottom, right, face score). Against each anchor box (<c>Output/extra_dim</c>: top, left, bottom, right):
/// centre = t_yx / 10 · size + centre_anchor, half size = exp(t_hw / 5) · size / 2 (variances 0.1 and 0.2), score =
/// sigmoid(face logit). Operations in face-api's order, so that float32 rounding follows it.
/// </summary>
public sealed class SsdBoxDecoder : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private const float CentreVariance = 10f;
    private const float SizeVariance = 5f;
    private const int FaceClass = 1;

    private readonly Tensor anchorSizes;
    private readonly Tensor anchorCentres;

    /// <param name="anchors">The anchor boxes <c>[1, A, 4]</c> (top, left, bottom, right), relative to the input.</param>
    public SsdBoxDecoder(TfjsTensor anchors) : base(nameof(SsdBoxDecoder))
    {
        if (anchors.Shape is not [1, var count, 4])
            throw new ArgumentException($"'{anchors.Name}' has shape [{string.Join(", ", anchors.Shape)}], expected [1, A, 4]", nameof(anchors));
        AnchorCount = count;
        // (height, width) and (centre y, centre x) per anchor, in float32 as face-api computes them.
        var sizes = new float[2 * count];
        var centres = new float[2 * count];
        for (var a = 0; a < count; a++)
        for (var k = 0; k < 2; k++)
        {
            var start = anchors.Values[4 * a + k];
            var size = anchors.Values[4 * a + k + 2] - start;
            sizes[2 * a + k] = size;
            centres[2 * a + k] = start + size / 2f;
        }
        anchorSizes = tensor(sizes, [count, 2]);
        anchorCentres = tensor(centres, [count, 2]);
        RegisterComponents();
    }

    public int AnchorCount { get; }

    public override Tensor forward(Tensor predictions)
    {
        using var scope = NewDisposeScope();
        var centre = predictions[.., .., 0..2] / CentreVariance * anchorSizes + anchorCentres;
        var half = (predictions[.., .., 2..4] / SizeVariance).exp() * anchorSizes / 2f;
        var score = predictions[.., .., (4 + FaceClass)..(5 + FaceClass)].sigmoid();
        return cat([centre - half, centre + half, score], 2).MoveToOuterDisposeScope();
    }

    public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope)
    {
        var sizes = graph.AddInitializer($"{scope}/anchor_sizes", anchorSizes);
        var encodedCentre = Slice(graph, input, 0, 2, scope);
        var scaledCentre = graph.AddNode("Div", [encodedCentre, graph.AddInitializer($"{scope}/centre_variance", [CentreVariance])], scope);
        var centre = graph.AddNode("Add", [graph.AddNode("Mul", [scaledCentre, sizes], scope), graph.AddInitializer($"{scope}/anchor_centres", anchorCentres)], scope);
        var encodedSize = Slice(graph, input, 2, 4, scope);
        var scale = graph.AddNode("Exp", [graph.AddNode("Div", [encodedSize, graph.AddInitializer($"{scope}/size_variance", [SizeVariance])], scope)], scope);
        var half = graph.AddNode("Div", [graph.AddNode("Mul", [scale, sizes], scope), graph.AddInitializer($"{scope}/two", [2f])], scope);
        var score = graph.AddNode("Sigmoid", [Slice(graph, input, 4 + FaceClass, 5 + FaceClass, scope)], scope);
        return graph.AddNode("Concat",
            [graph.AddNode("Sub", [centre, half], scope), graph.AddNode("Add", [centre, half], scope), score],
            scope, [OnnxGraphBuilder.Attribute("axis", 2L)]);
    }

    private static string Slice(OnnxGraphBuilder graph, string input, long start, long end, string scope) =>
        graph.AddNode("Slice",
            [input, graph.AddInt64Initializer($"{scope}/starts", start), graph.AddInt64Initializer($"{scope}/ends", end), graph.AddInt64Initializer($"{scope}/axes", 2)],
            scope);
}
