using System.Text.Json;
using System.Text.Json.Nodes;
using FaceService.Nets.Detector;
using FaceService.Nets.Landmarks;
using FaceService.Nets.Onnx;
using FaceService.Nets.Teacher;
using FaceService.Nets.Tfjs;
using TorchSharp;
using static TorchSharp.torch;

namespace FaceService.Nets.Acquisition;

/// <summary>One model file that the converter writes: from which manifest, through which net, with which ONNX contract.</summary>
public sealed record ConvertedModel(string FileName, string Manifest, Func<TfjsWeights, nn.Module<Tensor, Tensor>> Build, OnnxExportOptions Onnx);

/// <summary>Converts the verified face-api package into the project's ONNX files and the teacher's model card.</summary>
public static class FaceApiModelConverter
{
    /// <summary>Bumped whenever the conversion's output changes, so cached model files are rebuilt.</summary>
    public const string Version = "3";

    public const string DetectorFile = "face-detector.onnx";
    public const string SsdDetectorFile = "face-detector-ssd.onnx";
    public const string Landmarks68File = "face-landmarks68.onnx";
    public const string Landmarks68TinyFile = "face-landmarks68-tiny.onnx";
    public const string TeacherFile = "teacher-dlib-resnet.onnx";
    public const string TeacherCardFile = "teacher-dlib-resnet.json";
    public const string TeacherId = $"dlib-resnet29-faceapi-{FaceApiPackage.Version}";

    public static IReadOnlyList<ConvertedModel> Models { get; } =
    [
        new(DetectorFile, FaceApiPackage.DetectorManifest, TinyFaceDetector.FromWeights,
            new OnnxExportOptions(["N", "height", "width", 3], ["N", TinyFaceDetector.OutputChannels, "grid_height", "grid_width"])
            {
                GraphName = "tiny_face_detector",
                DocString = "face-api tiny face detector. Input NHWC RGB 0..255, height and width multiples of 32 " +
                            "(pad bottom/right to a square, legacy-bilinear resize). Output NCHW raw grid: channel 5a+k = " +
                            "anchor a, k: tx, ty, tw, th, objectness logit.",
            }),
        new(SsdDetectorFile, FaceApiPackage.SsdMobilenetV1Manifest, SsdMobilenetV1.FromWeights,
            new OnnxExportOptions(["N", SsdMobilenetV1.InputSize, SsdMobilenetV1.InputSize, 3], ["N", SsdMobilenetV1.AnchorCount, SsdMobilenetV1.ValuesPerAnchor])
            {
                GraphName = "ssd_mobilenetv1",
                DocString = "face-api SSD MobileNetV1 face detector. Input NHWC RGB 0..255 512x512 (pad bottom/right to a square, " +
                            "legacy-bilinear resize). Output per anchor: top, left, bottom, right (relative to the input) and the " +
                            "face score (sigmoid), before thresholding and NMS.",
            }),
        new(Landmarks68File, FaceApiPackage.Landmark68Manifest, FaceLandmark68Net.FromWeights,
            new OnnxExportOptions(["N", FaceLandmark68Net.InputSize, FaceLandmark68Net.InputSize, 3], ["N", 2 * FaceLandmark68Net.PointCount])
            {
                GraphName = "face_landmark_68",
                DocString = "face-api 68-point landmarks. Input NHWC RGB 0..255 112x112 (box padded to a centred square). " +
                            "Output x0, y0, x1, y1, ... relative to the padded square.",
            }),
        new(Landmarks68TinyFile, FaceApiPackage.Landmark68TinyManifest, FaceLandmark68Net.FromWeights,
            new OnnxExportOptions(["N", FaceLandmark68Net.InputSize, FaceLandmark68Net.InputSize, 3], ["N", 2 * FaceLandmark68Net.PointCount])
            {
                GraphName = "face_landmark_68_tiny",
                DocString = "face-api 68-point landmarks (tiny net). Input and output as face-landmarks68.onnx.",
            }),
        new(TeacherFile, FaceApiPackage.RecognitionManifest, DlibResNet.FromWeights,
            new OnnxExportOptions(["N", DlibResNet.InputSize, DlibResNet.InputSize, 3], ["N", DlibResNet.DescriptorSize])
            {
                GraphName = "dlib_resnet29",
                DocString = "dlib ResNet-29 face descriptor (face-api FaceRecognitionNet). Input NHWC RGB 0..255 150x150. " +
                            "Output 128-D descriptor, NOT L2-normalised.",
            }),
    ];

    /// <summary>Every file this converter produces in the models directory.</summary>
    public static IEnumerable<string> OutputFiles => Models.Select(m => m.FileName).Append(TeacherCardFile);

    public static void Convert(string packageDirectory, string modelsDirectory, IProgress<string> progress)
    {
        foreach (var model in Models)
        {
            progress.Report($"converting {model.Manifest} -> {model.FileName}");
            var weights = TfjsWeights.Load(Path.Combine(packageDirectory, model.Manifest));
            using var net = model.Build(weights);
            OnnxExporter.Export(net, model.Onnx, Path.Combine(modelsDirectory, model.FileName));
        }
        progress.Report($"writing the model card {TeacherCardFile}");
        WriteTeacherCard(Path.Combine(modelsDirectory, TeacherCardFile));
    }

    /// <summary>
    /// Writes the teacher's card (the EmbeddingModelInfo contract, camelCase). Operating points are measured on LFW by
    /// the evaluation and committed in the card, so an existing card's operating points are kept.
    /// </summary>
    public static void WriteTeacherCard(string path)
    {
        JsonNode operatingPoints = new JsonArray();
        if (File.Exists(path) && JsonNode.Parse(File.ReadAllText(path))?["operatingPoints"] is JsonArray existing)
            operatingPoints = existing.DeepClone();
        var card = new JsonObject
        {
            ["id"] = TeacherId,
            ["inputSize"] = DlibResNet.InputSize,
            ["dimension"] = DlibResNet.DescriptorSize,
            ["alignment"] = "SimilarityWarp",
            ["operatingPoints"] = operatingPoints,
        };
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, card.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine);
        File.Move(temporary, path, overwrite: true);
    }
}
