using FaceService.Api.Faces;
using FaceService.Api.Options;
using FaceService.Embeddings;
using FaceService.Faces;
using FaceService.Gallery;
using FaceService.Gallery.QuantizedScan;
using FaceService.Gallery.Sqlite;
using FaceService.Gallery.Usearch;
using Microsoft.Extensions.Options;

namespace FaceService.Api.Hosting;

/// <summary>
/// Runs before the server accepts requests: opens every ONNX session (resolving the pipeline does that), checks the
/// default threshold, creates the gallery file if needed and rebuilds the search index from it. A missing model or
/// model card stops the service here with the file's name, instead of failing the first request.
/// </summary>
public sealed class FaceServiceStartup(
    IFaceAnalyzer analyzer,
    IFaceEmbedder embedder,
    ThresholdPolicy thresholds,
    FaceGallery gallery,
    IGalleryStore store,
    IGalleryIndex index,
    FaceServiceMetrics metrics,
    EmbedderOptions embedderOptions,
    IOptions<ApiKeyOptions> apiKeys,
    ILogger<FaceServiceStartup> logger) : IHostedService
{
    public bool IsReady { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _ = analyzer; // resolved for its side effect: the detector and landmark sessions are open
        await gallery.LoadAsync(cancellationToken);
        metrics.GalleryChanged(gallery);

        logger.LogInformation(
            "Embedding model {ModelId} from {ModelPath} ({InputSize}px, {Alignment}); default threshold {Threshold} from {ThresholdSource}",
            embedder.Model.Id, Path.GetFullPath(embedderOptions.ModelPath), embedder.Model.InputSize, embedder.Model.Alignment,
            thresholds.Default, thresholds.Source);
        if (embedderOptions.RoutesLowResolution)
            logger.LogInformation("Faces below {BelowPixels} source pixels go to the low-resolution model from {LowResolutionModelPath}",
                embedderOptions.LowResolutionBelowPixels, Path.GetFullPath(embedderOptions.LowResolutionModelPath!));
        logger.LogInformation("Gallery {GalleryPath}: {FaceCount} faces of {SubjectCount} subjects",
            store is SqliteGalleryStore sqlite ? sqlite.DatabasePath : store.GetType().Name, gallery.FaceCount, gallery.SubjectCount);
        var searchIndex = index is AutoGalleryIndex auto ? auto.Current : index;
        if (searchIndex is UsearchGalleryIndex { LastStartup: { } startup })
            logger.LogInformation("Approximate gallery index (USearch): {How} {FaceCount} faces in {ElapsedMs} ms{Reason}",
                startup.LoadedFromFile ? "loaded" : "built", startup.FaceCount, (long)startup.Elapsed.TotalMilliseconds,
                startup.RebuildReason is null ? "" : $" ({startup.RebuildReason})");
        else if (searchIndex is QuantizedScanGalleryIndex { LastStartup: { } scan })
            logger.LogInformation("Approximate gallery index (quantized scan): built over {FaceCount} faces in {ElapsedMs} ms, code bytes per face by model {CodeLengths}",
                scan.FaceCount, (long)scan.Elapsed.TotalMilliseconds, scan.CodeLengthOfModel);
        else
            logger.LogInformation("Gallery index: exact search");
        if (apiKeys.Value.AllowAnonymous)
            logger.LogWarning("AUTHENTICATION IS OFF: Auth:AllowAnonymous=true accepts requests without an {Header} header. " +
                              "This is for local development only; configure Auth:ApiKeys and remove AllowAnonymous anywhere else.", ApiKeyOptions.HeaderName);
        else
            logger.LogInformation("API key authentication on: {KeyCount} key(s) accepted in the {Header} header", apiKeys.Value.ApiKeys.Count(k => !string.IsNullOrWhiteSpace(k)), ApiKeyOptions.HeaderName);
        IsReady = true;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
