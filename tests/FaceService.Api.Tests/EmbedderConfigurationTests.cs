using FaceService.Embeddings;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FaceService.Api.Tests;

public sealed class EmbedderConfigurationTests : IDisposable
{
    private readonly string _databasePath = FaceServiceFactory.NewDatabasePath();

    public void Dispose() => FaceServiceFactory.DeleteDatabase(_databasePath);

    [Theory]
    [InlineData(null, typeof(OnnxFaceEmbedder))]
    [InlineData("false", typeof(OnnxFaceEmbedder))]
    [InlineData("true", typeof(MirrorAveragingEmbedder))]
    public async Task Mirror_averaging_is_off_by_default_and_switched_on_by_configuration(string? setting, Type expected)
    {
        await using var factory = new FaceServiceFactory(_databasePath, new Dictionary<string, string?> { ["Embedder:MirrorAveraging"] = setting });

        var embedder = factory.Services.GetRequiredService<IFaceEmbedder>();

        Assert.IsType(expected, embedder);
        Assert.Equal(FaceServiceFactory.EmbeddingModelId, embedder.Model.Id);
    }
}
