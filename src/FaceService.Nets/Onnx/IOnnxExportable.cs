namespace FaceService.Nets.Onnx;

/// <summary>
/// A module whose data flow is not a plain chain of standard layers (a residual add, a dense sum, a padding rule,
/// a layout change) describes itself to the ONNX writer. It emits its nodes through <paramref name="graph"/>,
/// hands its child modules back to <see cref="OnnxGraphBuilder.Emit"/> (so children may be standard layers or
/// exportable modules in turn), and returns the name of its output value.
/// </summary>
/// <example>
/// A residual block <c>relu(body(x) + x)</c>:
/// <code>
/// public string ExportOnnx(OnnxGraphBuilder graph, string input, string scope)
/// {
///     var body = graph.Emit(this.body, input, $"{scope}/body");
///     var sum = graph.AddNode("Add", [body, input], scope);
///     return graph.AddNode("Relu", [sum], scope);
/// }
/// </code>
/// </example>
public interface IOnnxExportable
{
    /// <param name="graph">The graph being built.</param>
    /// <param name="input">The name of the module's input value.</param>
    /// <param name="scope">A path naming this module in the tree, for readable and unique node names.</param>
    /// <returns>The name of the module's output value.</returns>
    string ExportOnnx(OnnxGraphBuilder graph, string input, string scope);
}
