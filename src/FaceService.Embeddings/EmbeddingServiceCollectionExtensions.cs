using Microsoft.Extensions.DependencyInjection;

namespace FaceService.Embeddings;

public static class EmbeddingServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="IFaceEmbedder"/> singleton (sessions opened on first use, thread-safe): the
    /// <see cref="ConfiguredEmbedder"/> of <paramref name="options"/>, routed to a low-resolution expert when
    /// <see cref="EmbedderOptions.LowResolutionModelPath"/> is set, mirror-averaging when
    /// <see cref="EmbedderOptions.MirrorAveraging"/> is.
    /// </summary>
    public static IServiceCollection AddFaceEmbedder(this IServiceCollection services, EmbedderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(_ => new ConfiguredEmbedder(options));
        services.AddSingleton(provider => provider.GetRequiredService<ConfiguredEmbedder>().Embedder);
        return services;
    }
}
