namespace FaceService.Embeddings;

public sealed class EmbedderOptions
{
    /// <summary>The ONNX file; its model card is the .json beside it (name.onnx → name.json).</summary>
    public string ModelPath { get; set; } = "models/student-lowres-112-v3-int8.onnx";

    /// <summary>
    /// A low-resolution expert in the same embedding space (its card beside it, as for <see cref="ModelPath"/>): faces
    /// of fewer than <see cref="LowResolutionBelowPixels"/> source pixels go to it (<see cref="ResolutionRoutedEmbedder"/>).
    /// Null or empty: no routing, every face goes to <see cref="ModelPath"/>. The service's appsettings.json names the
    /// shipped expert (models/student-lowres-112-v4-lr-int8.onnx); code that builds options itself routes only when told.
    /// </summary>
    public string? LowResolutionModelPath { get; set; }

    /// <summary>The routing boundary: faces whose crop spans fewer source pixels than this go to the low-resolution expert.</summary>
    public int LowResolutionBelowPixels { get; set; } = 20;

    /// <summary>Faces per inference; larger requests are split into batches of this size.</summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// Embed each face and its mirror image and average them (<see cref="MirrorAveragingEmbedder"/>): twice the
    /// embedding work. The model card's thresholds were measured without it.
    /// </summary>
    public bool MirrorAveraging { get; set; }

    /// <summary>ONNX Runtime intra-op threads; 0 = runtime default.</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Whether <see cref="LowResolutionModelPath"/> names an expert to route to.</summary>
    public bool RoutesLowResolution => !string.IsNullOrEmpty(LowResolutionModelPath);

    /// <summary>
    /// The embedder these options describe over opened models: the model itself, or routed by resolution between it and
    /// <paramref name="lowResolutionModel"/> when one is given, mirror-averaged outermost (mirrors keep their source
    /// resolution, so both images of a face take the same route).
    /// </summary>
    public IFaceEmbedder Over(IFaceEmbedder model, IFaceEmbedder? lowResolutionModel = null)
    {
        var routed = lowResolutionModel is null ? model : new ResolutionRoutedEmbedder(model, lowResolutionModel, LowResolutionBelowPixels);
        return MirrorAveraging ? new MirrorAveragingEmbedder(routed) : routed;
    }
}
