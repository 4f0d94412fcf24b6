namespace FaceService.Faces.Detection;

/// <summary>
/// Fallbacks tried, in order, only when the primary pass (<see cref="TinyFaceDetectorOptions"/>) finds nothing.
/// The tiny detector misses many tightly cropped faces (about 15 % of LFW at 416/0.5); smaller inputs make such a
/// face fill fewer cells, as it was trained, and a lower threshold then recovers most of the rest.
/// </summary>
public sealed class DetectionCascadeOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Input sizes tried next at the primary score threshold.</summary>
    public List<int> FallbackInputSizes { get; set; } = [320, 224];

    /// <summary>
    /// Last resort: this threshold at the primary and fallback sizes, keeping only the best box that contains the
    /// image centre (a lower threshold elsewhere in the image would mostly add false positives).
    /// </summary>
    public double CentreBoxScoreThreshold { get; set; } = 0.2;
}
