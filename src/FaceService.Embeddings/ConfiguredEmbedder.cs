namespace FaceService.Embeddings;

/// <summary>
/// The models <see cref="EmbedderOptions"/> name, opened, and the embedder the options build over them. The service and
/// <c>facetrain eval</c> both build their embedder here, so an evaluation runs the models as the service does.
/// Disposing closes every session.
/// </summary>
public sealed class ConfiguredEmbedder : IDisposable
{
    public ConfiguredEmbedder(EmbedderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        GeneralModel = new OnnxFaceEmbedder(options);
        try
        {
            LowResolutionModel = options.RoutesLowResolution
                ? new OnnxFaceEmbedder(new EmbedderOptions
                {
                    ModelPath = options.LowResolutionModelPath!, MaxBatchSize = options.MaxBatchSize, IntraOpThreads = options.IntraOpThreads,
                })
                : null;
            Embedder = options.Over(GeneralModel, LowResolutionModel);
        }
        catch
        {
            // A missing or mismatched expert must not leave the general model's session open.
            LowResolutionModel?.Dispose();
            GeneralModel.Dispose();
            throw;
        }
    }

    /// <summary>The model of <see cref="EmbedderOptions.ModelPath"/>: the only one, or the general one of a routed pair.</summary>
    public OnnxFaceEmbedder GeneralModel { get; }

    /// <summary>The expert of <see cref="EmbedderOptions.LowResolutionModelPath"/>; null without routing.</summary>
    public OnnxFaceEmbedder? LowResolutionModel { get; }

    /// <summary>What to embed with: the models as the options combine them.</summary>
    public IFaceEmbedder Embedder { get; }

    public void Dispose()
    {
        LowResolutionModel?.Dispose();
        GeneralModel.Dispose();
    }
}
