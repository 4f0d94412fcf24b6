namespace FaceService.Gallery.QuantizedScan;

/// <summary>The compressed candidate scan and its exact re-scoring (<see cref="QuantizedScanGalleryIndex"/>).</summary>
public sealed class QuantizedScanOptions
{
    /// <summary>
    /// The share of the gallery's variance the kept principal axes must hold; the number of axes (the code length in
    /// bytes) follows from the data. Axes left out are error the candidate scan cannot see.
    /// </summary>
    public double RetainedVariance { get; set; } = 0.9999;

    /// <summary>Faces the scan keeps by approximate similarity for exact re-scoring; more trades latency for recall.</summary>
    public int Candidates { get; set; } = 256;
}
