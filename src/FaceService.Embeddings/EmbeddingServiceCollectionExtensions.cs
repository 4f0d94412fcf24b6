using Microsoft.Extensions.DependencyInjection;

namespace FaceService.Embeddings;

public static class EmbeddingServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="IFaceEmbedder"/> singleton (session opened on first use, thread-safe), mirror-averaging
    /// when <see cref="EmbedderOptions.MirrorAveraging"/> is set.
    /// </summary>
    public static IServiceCollection AddFaceEmbedder(this IServiceCollection services, EmbedderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton<OnnxFaceEmbedder>(_ => new OnnxFaceEmbedder(options));
        services.AddSingleton<IFaceEmbedder>(provider => options.Over(provider.GetRequiredService<OnnxFaceEmbedder>()));
        return services;
    }
}
