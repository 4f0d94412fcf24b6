using Microsoft.Extensions.DependencyInjection;

namespace FaceService.Embeddings;

public static class EmbeddingServiceCollectionExtensions
{
    /// <summary>Registers one <see cref="IFaceEmbedder"/> singleton (session opened on first use, thread-safe).</summary>
    public static IServiceCollection AddFaceEmbedder(this IServiceCollection services, EmbedderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton<IFaceEmbedder>(_ => new OnnxFaceEmbedder(options));
        return services;
    }
}
