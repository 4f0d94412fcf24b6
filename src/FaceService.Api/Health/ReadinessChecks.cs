using FaceService.Api.Hosting;
using FaceService.Gallery;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceService.Api.Health;

/// <summary>Ready once startup has opened the models and loaded the gallery index.</summary>
public sealed class ModelLoadedCheck(FaceServiceStartup startup, FaceService.Embeddings.IFaceEmbedder embedder) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(startup.IsReady
            ? HealthCheckResult.Healthy($"model {embedder.Model.Id} loaded")
            : HealthCheckResult.Unhealthy("models and gallery are still loading"));
}

/// <summary>The gallery store answers a query.</summary>
public sealed class GalleryStoreCheck(IGalleryStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CheckReachableAsync(cancellationToken);
            return HealthCheckResult.Healthy("gallery store reachable");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("gallery store unreachable", e);
        }
    }
}
