using FaceService.Faces.Imaging;
using FaceService.Faces.Onnx;

namespace FaceService.Faces.Landmarks;

/// <summary>face-api's 68-point landmark net (full or tiny ONNX, [N,112,112,3] → [N,136]).</summary>
public sealed class Landmark68Net : IFaceLandmarker, IDisposable
{
    private const int PixelsPerFace = LandmarkInput.Size * LandmarkInput.Size * 3;
    private readonly OnnxModelSession _session;
    private readonly int _refinementPasses;

    public Landmark68Net(Landmark68Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.RefinementPasses);
        _session = new OnnxModelSession(options.ModelPath, options.IntraOpThreads);
        _refinementPasses = options.RefinementPasses;
    }

    public IReadOnlyList<FaceLandmarks?> Detect(RgbImage image, IReadOnlyList<FaceBox> boxes)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(boxes);
        var results = DetectOnce(image, boxes);
        for (var pass = 0; pass < _refinementPasses; pass++)
        {
            var refinedBoxes = results.Select((points, i) => points is null ? boxes[i] : LandmarkBox.Around(points)).ToList();
            var refined = DetectOnce(image, refinedBoxes);
            // A re-framed box with nothing inside the image keeps the previous pass's landmarks.
            results = results.Select((points, i) => refined[i] ?? points).ToArray();
        }
        return results;
    }

    private FaceLandmarks?[] DetectOnce(RgbImage image, IReadOnlyList<FaceBox> boxes)
    {
        var crops = boxes.Select(box => LandmarkInput.CropFor(box, image)).ToArray();
        var valid = Enumerable.Range(0, boxes.Count).Where(i => crops[i] is not null).ToArray();
        var results = new FaceLandmarks?[boxes.Count];
        if (valid.Length == 0)
            return results;

        var input = new float[valid.Length * PixelsPerFace];
        for (var n = 0; n < valid.Length; n++)
            LandmarkInput.Create(image, crops[valid[n]]!.Value, input.AsSpan(n * PixelsPerFace, PixelsPerFace));

        var (output, shape) = _session.Run(input, [valid.Length, LandmarkInput.Size, LandmarkInput.Size, 3]);
        if (shape is not [var batch, 136] || batch != valid.Length)
            throw new InvalidOperationException($"{_session.ModelPath}: expected output [{valid.Length},136], got [{string.Join(",", shape)}].");
        for (var n = 0; n < valid.Length; n++)
        {
            var i = valid[n];
            results[i] = LandmarkInput.ToImagePoints(output.AsSpan(n * 136, 136), crops[i]!.Value, boxes[i]);
        }
        return results;
    }

    public void Dispose() => _session.Dispose();
}
