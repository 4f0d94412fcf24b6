using FaceService.Nets.Acquisition;
using FaceService.Nets.Detector;
using FaceService.Nets.Landmarks;
using FaceService.Nets.Teacher;
using FaceService.Nets.Tfjs;
using FaceService.TestSupport;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using TorchSharp;
using static TorchSharp.torch;

namespace FaceService.Nets.Tests;

/// <summary>Loads the nets from the verified package once per run and runs them in TorchSharp or ONNX Runtime.</summary>
internal static class Nets
{
    static Nets() => torch.set_num_threads(1);

    private static readonly Lazy<DlibResNet> LazyTeacher = new(() => DlibResNet.FromWeights(Weights(FaceApiPackage.RecognitionManifest)));
    private static readonly Lazy<TinyFaceDetector> LazyDetector = new(() => TinyFaceDetector.FromWeights(Weights(FaceApiPackage.DetectorManifest)));
    private static readonly Lazy<SsdMobilenetV1> LazySsdDetector = new(() => SsdMobilenetV1.FromWeights(Weights(FaceApiPackage.SsdMobilenetV1Manifest)));
    private static readonly Lazy<FaceLandmark68Net> LazyLandmarks = new(() => FaceLandmark68Net.FromWeights(Weights(FaceApiPackage.Landmark68Manifest)));
    private static readonly Lazy<FaceLandmark68Net> LazyLandmarksTiny = new(() => FaceLandmark68Net.FromWeights(Weights(FaceApiPackage.Landmark68TinyManifest)));

    public static DlibResNet Teacher => LazyTeacher.Value;
    public static TinyFaceDetector Detector => LazyDetector.Value;
    public static SsdMobilenetV1 SsdDetector => LazySsdDetector.Value;
    public static FaceLandmark68Net Landmarks => LazyLandmarks.Value;
    public static FaceLandmark68Net LandmarksTiny => LazyLandmarksTiny.Value;

    public static TfjsWeights Weights(string manifest) => TfjsWeights.Load(Requires.FaceApiPackageFile(manifest));

    /// <summary>Runs a module on one input under no_grad and returns its output, flattened.</summary>
    public static float[] RunTorch(nn.Module<Tensor, Tensor> module, float[] input, long[] shape)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return module.forward(tensor(input, shape)).data<float>().ToArray();
    }

    public static float[] RunOnnx(string modelPath, float[] input, int[] shape)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, options);
        return RunOnnx(session, input, shape);
    }

    public static float[] RunOnnx(InferenceSession session, float[] input, int[] shape)
    {
        var inputName = session.InputMetadata.Keys.Single();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor(input, shape))]);
        return results.Single().AsEnumerable<float>().ToArray();
    }
}
