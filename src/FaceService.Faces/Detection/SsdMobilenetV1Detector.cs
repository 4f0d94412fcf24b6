using FaceService.Faces.Imaging;
using FaceService.Faces.Onnx;

namespace FaceService.Faces.Detection;

/// <summary>
/// face-api's SSD MobileNetV1 face detector over models/face-detector-ssd.onnx: pad bottom/right to a square,
/// legacy-bilinear resize to 512, run (box decoding and scores are in the graph), threshold, NMS, map back.
/// </summary>
public sealed class SsdMobilenetV1Detector : IFaceDetector, IFaceDetectionPass, IDisposable
{
    /// <summary>The anchors are part of the model, so the input size is fixed.</summary>
    public const int InputSize = 512;
    public const int AnchorCount = 5118;

    private readonly OnnxModelSession _session;
    private readonly SsdMobilenetV1Options _options;

    public SsdMobilenetV1Detector(SsdMobilenetV1Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateMinConfidence(options.MinConfidence);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxResults);
        if (!(options.NmsIouThreshold is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.NmsIouThreshold, "The NMS IoU threshold must lie in [0, 1].");
        _options = options;
        _session = new OnnxModelSession(options.ModelPath, options.IntraOpThreads);
    }

    public DetectionStage PrimaryStage => new(InputSize, _options.MinConfidence, CentreBoxOnly: false, DetectorKind.SsdMobilenetV1);

    public IReadOnlyList<DetectedFace> Detect(RgbImage image) => Detect(image, InputSize, _options.MinConfidence);

    /// <summary>One pass at the given score threshold; <paramref name="inputSize"/> must be 512.</summary>
    public IReadOnlyList<DetectedFace> Detect(RgbImage image, int inputSize, double scoreThreshold)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (inputSize != InputSize)
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"The SSD detector's input size is fixed at {InputSize}.");
        ValidateMinConfidence(scoreThreshold);

        var input = TfLegacyBilinear.Resize(image, PaddedCanvas.SquareBottomRight(image), InputSize, InputSize);
        var (output, shape) = _session.Run(input, [1, InputSize, InputSize, 3]);
        if (shape is not [1, AnchorCount, SsdDecoder.ValuesPerAnchor])
            throw new InvalidOperationException($"{_session.ModelPath}: expected output [1,{AnchorCount},{SsdDecoder.ValuesPerAnchor}], got [{string.Join(",", shape)}].");

        var stage = new DetectionStage(InputSize, scoreThreshold, CentreBoxOnly: false, DetectorKind.SsdMobilenetV1);
        var candidates = SsdDecoder.Candidates(output, scoreThreshold);
        return SsdDecoder.NonMaxSuppression(candidates, _options.NmsIouThreshold, _options.MaxResults)
            .Select(i => new DetectedFace(SsdDecoder.ToPixels(candidates[i], image.Width, image.Height, InputSize), candidates[i].Score) { Stage = stage })
            .ToList();
    }

    private static void ValidateMinConfidence(double minConfidence)
    {
        if (!(minConfidence is > 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(minConfidence), minConfidence, "The SSD detector's score threshold must lie strictly between 0 and 1.");
    }

    public void Dispose() => _session.Dispose();
}
