using FaceService.Faces.Imaging;
using FaceService.Faces.Onnx;

namespace FaceService.Faces.Detection;

/// <summary>
/// face-api's tiny face detector over models/face-detector.onnx: pad bottom/right to a square, legacy-bilinear
/// resize to the input size, run, decode, NMS.
/// </summary>
public sealed class TinyFaceDetector : IFaceDetector, IDisposable
{
    private const int CellSize = 32;
    private readonly OnnxModelSession _session;
    private readonly TinyFaceDetectorOptions _options;

    public TinyFaceDetector(TinyFaceDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateInputSize(options.InputSize);
        _options = options;
        _session = new OnnxModelSession(options.ModelPath, options.IntraOpThreads);
    }

    public TinyFaceDetectorOptions Options => _options;

    public IReadOnlyList<DetectedFace> Detect(RgbImage image) => Detect(image, _options.InputSize, _options.ScoreThreshold);

    /// <summary>One pass at the given input size and score threshold (the cascade varies both).</summary>
    public IReadOnlyList<DetectedFace> Detect(RgbImage image, int inputSize, double scoreThreshold)
    {
        var stage = new DetectionStage(inputSize, scoreThreshold, CentreBoxOnly: false);
        var candidates = DetectCandidates(image, inputSize, scoreThreshold);
        return TinyYoloDecoder.NonMaxSuppression(candidates, _options.NmsIouThreshold)
            .Select(i => new DetectedFace(candidates[i].ToPixels(image.Width, image.Height), candidates[i].Score) { Stage = stage })
            .ToList();
    }

    /// <summary>The pre-NMS candidates of one pass.</summary>
    public List<DetectionCandidate> DetectCandidates(RgbImage image, int inputSize, double scoreThreshold)
    {
        ArgumentNullException.ThrowIfNull(image);
        ValidateInputSize(inputSize);
        var input = CreateInput(image, inputSize);
        var (output, shape) = _session.Run(input, [1, inputSize, inputSize, 3]);
        var grid = inputSize / CellSize;
        if (shape is not [1, 25, var rows, var cols] || rows != grid || cols != grid)
            throw new InvalidOperationException($"{_session.ModelPath}: expected output [1,25,{grid},{grid}], got [{string.Join(",", shape)}].");
        return TinyYoloDecoder.Decode(output, grid, image.Width, image.Height, inputSize, scoreThreshold);
    }

    /// <summary>The net input: HWC RGB floats 0..255 of the bottom/right-padded square, resized to the input size.</summary>
    public static float[] CreateInput(RgbImage image, int inputSize) =>
        TfLegacyBilinear.Resize(image, PaddedCanvas.SquareBottomRight(image), inputSize, inputSize);

    private static void ValidateInputSize(int inputSize)
    {
        if (inputSize <= 0 || inputSize % CellSize != 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "The detector input size must be a positive multiple of 32.");
    }

    public void Dispose() => _session.Dispose();
}
