namespace FaceService.Faces.Detection;

/// <summary>
/// Fallbacks tried, in order, only when the primary pass finds nothing; they run on the tiny detector
/// (<see cref="TinyFaceDetectorOptions"/>), after its own primary pass when the SSD is the primary detector.
/// The tiny detector misses many tightly cropped faces (about 15 % of LFW at 416/0.5); smaller inputs make such a
/// face fill fewer cells, as it was trained, and a lower threshold then recovers most of the rest.
/// </summary>
public sealed class DetectionCascadeOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The tiny detector's input sizes tried next, at its score threshold.</summary>
    public List<int> FallbackInputSizes { get; set; } = [320, 224];

    /// <summary>
    /// Last resort: every pass above again at this threshold, keeping only the best box that contains the
    /// image centre (a lower threshold elsewhere in the image would mostly add false positives).
    /// </summary>
    public double CentreBoxScoreThreshold { get; set; } = 0.2;
}
