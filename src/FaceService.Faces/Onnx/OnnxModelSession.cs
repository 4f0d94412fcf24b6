using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OrtSessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace FaceService.Faces.Onnx;

/// <summary>
/// One ONNX Runtime session per model file, opened once and shared: <see cref="InferenceSession.Run(IReadOnlyCollection{NamedOnnxValue})"/>
/// is thread-safe. Every project model has one input "input" (NHWC float32) and one output "output" (see COMMON.md).
/// </summary>
public sealed class OnnxModelSession : IDisposable
{
    private readonly InferenceSession _session;

    public OnnxModelSession(string modelPath, int intraOpThreads)
    {
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"Model file {Path.GetFullPath(modelPath)} is missing: run `make models`.", modelPath);
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);

        using var options = new OrtSessionOptions
        {
            // 0 lets ONNX Runtime pick; the service sets a small number so concurrent requests do not oversubscribe.
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(modelPath, options);
        ModelPath = modelPath;
    }

    public string ModelPath { get; }

    /// <summary>Runs the model on one NHWC float tensor and returns the output values and shape (on an <see cref="InferenceThreads"/> thread).</summary>
    public (float[] Values, int[] Shape) Run(float[] input, int[] shape) => InferenceThreads.Run(() =>
    {
        var tensor = new DenseTensor<float>(input, shape);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        var output = results.First(r => r.Name == "output").AsTensor<float>();
        return (output.ToArray(), output.Dimensions.ToArray());
    });

    public void Dispose() => _session.Dispose();
}
