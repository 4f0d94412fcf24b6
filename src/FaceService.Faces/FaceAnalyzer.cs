using FaceService.Faces.Alignment;
using FaceService.Faces.Detection;
using FaceService.Faces.Imaging;
using FaceService.Faces.Landmarks;
using FaceService.Faces.Quality;

namespace FaceService.Faces;

/// <summary>Detector → landmarker → quality → aligner, for every face in an image.</summary>
public sealed class FaceAnalyzer : IFaceAnalyzer
{
    private readonly IFaceDetector _detector;
    private readonly IFaceLandmarker _landmarker;
    private readonly IReadOnlyDictionary<AlignmentKind, IFaceAligner> _aligners;

    public FaceAnalyzer(IFaceDetector detector, IFaceLandmarker landmarker, IEnumerable<IFaceAligner> aligners)
    {
        _detector = detector;
        _landmarker = landmarker;
        _aligners = aligners.ToDictionary(a => a.Kind);
    }

    public IReadOnlyList<AnalyzedFace> Analyze(RgbImage image, AlignmentKind alignment, int alignedSize)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alignedSize);
        if (!_aligners.TryGetValue(alignment, out var aligner))
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "No aligner is registered for this alignment.");

        var detections = _detector.Detect(image);
        if (detections.Count == 0)
            return [];
        var landmarks = _landmarker.Detect(image, detections.Select(d => d.Box).ToList());

        var faces = new List<AnalyzedFace>(detections.Count);
        for (var i = 0; i < detections.Count; i++)
        {
            // A box with nothing inside the image, or landmarks that put the crop outside it, is no usable face.
            if (landmarks[i] is not { } points || aligner.Align(image, points, alignedSize) is not { } aligned)
                continue;
            faces.Add(new AnalyzedFace(detections[i], points, FaceQualityMeasure.Measure(detections[i], points), aligned));
        }
        return faces;
    }
}
