using FaceService.Nets.Onnx;
using Onnx;

namespace FaceService.Nets.Quantization;

/// <summary>
/// Folds a per-channel input normalisation <c>Div(Sub(x, mean), divisor)</c> into the convolution that alone reads
/// it: <c>W' = W / divisor[c]</c>, <c>b' = b - Σ W' · mean[c]</c>. The convolution then reads the pixels directly,
/// so quantisation sees pixels (0..255 at scale 1, exact for 8-bit images) instead of a normalised tensor that
/// would first be computed in float. Exact only without padding (padded zeros in pixel units are not zeros in
/// normalised units), so padded or grouped convolutions are left alone.
/// </summary>
internal static class AffineInputFolding
{
    public static int Apply(GraphProto graph)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n, StringComparer.Ordinal);
        var readers = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name))
            .GroupBy(v => v, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        bool ReadOnce(string value) => readers.GetValueOrDefault(value) == 1;

        var folded = 0;
        foreach (var conv in graph.Node.Where(n => n.OpType == "Conv").ToList())
        {
            if (!producers.TryGetValue(conv.Input[0], out var div) || div.OpType != "Div" || !ReadOnce(div.Output[0])
                || !producers.TryGetValue(div.Input[0], out var sub) || sub.OpType != "Sub" || !ReadOnce(sub.Output[0]))
                continue;
            if (!initializers.TryGetValue(conv.Input[1], out var weight) || !IsFloat(weight) || weight.Dims.Count != 4 || !ReadOnce(weight.Name))
                continue;
            var hasBias = conv.Input.Count > 2 && conv.Input[2].Length > 0;
            if (hasBias && (!initializers.TryGetValue(conv.Input[2], out var existing) || !IsFloat(existing) || !ReadOnce(existing.Name)))
                continue;
            if (!Unpadded(conv) || conv.Attribute.Any(a => a.Name == "group" && a.I != 1))
                continue;
            var (outputs, channels) = ((int)weight.Dims[0], (int)weight.Dims[1]);
            var kernel = (int)(weight.Dims[2] * weight.Dims[3]);
            if (PerChannel(initializers, sub.Input[1], channels) is not { } mean || PerChannel(initializers, div.Input[1], channels) is not { } divisor
                || divisor.Any(d => d == 0 || !float.IsFinite(d)))
                continue;

            var w = OnnxTensors.FloatValues(weight);
            var b = hasBias ? OnnxTensors.FloatValues(initializers[conv.Input[2]]) : new float[outputs];
            for (var m = 0; m < outputs; m++)
            {
                var shift = 0.0;
                for (var c = 0; c < channels; c++)
                for (var k = 0; k < kernel; k++)
                {
                    var index = (m * channels + c) * kernel + k;
                    w[index] /= divisor[c];
                    shift += (double)w[index] * mean[c];
                }
                b[m] = (float)(b[m] - shift);
            }
            OnnxTensors.SetFloatValues(weight, w);
            if (hasBias)
                OnnxTensors.SetFloatValues(initializers[conv.Input[2]], b);
            else
            {
                var bias = new TensorProto { Name = $"{weight.Name}_folded_bias", DataType = (int)TensorProto.Types.DataType.Float, Dims = { outputs } };
                OnnxTensors.SetFloatValues(bias, b);
                graph.Initializer.Add(bias);
                while (conv.Input.Count < 3)
                    conv.Input.Add("");
                conv.Input[2] = bias.Name;
            }
            conv.Input[0] = sub.Input[0];
            graph.Node.Remove(div);
            graph.Node.Remove(sub);
            foreach (var constant in new[] { sub.Input[1], div.Input[1] })
                if (ReadOnce(constant))
                    graph.Initializer.Remove(initializers[constant]);
            folded++;
        }
        return folded;
    }

    private static bool Unpadded(NodeProto conv) =>
        conv.Attribute.All(a => a.Name switch
        {
            "pads" => a.Ints.All(p => p == 0),
            "auto_pad" => a.S.ToStringUtf8() is "NOTSET" or "VALID",
            _ => true,
        });

    /// <summary>One value per channel of an NCHW tensor: a scalar, or a [.., C, 1, 1] tensor that broadcasts over the channels.</summary>
    private static float[]? PerChannel(Dictionary<string, TensorProto> initializers, string name, int channels)
    {
        if (!initializers.TryGetValue(name, out var tensor) || !IsFloat(tensor))
            return null;
        var values = OnnxTensors.FloatValues(tensor);
        if (values.Length == 1)
            return Enumerable.Repeat(values[0], channels).ToArray();
        var dims = tensor.Dims;
        return values.Length == channels && dims.Count >= 3 && dims[^3] == channels && dims[^2] == 1 && dims[^1] == 1 ? values : null;
    }

    private static bool IsFloat(TensorProto tensor) => tensor.DataType == (int)TensorProto.Types.DataType.Float;
}
