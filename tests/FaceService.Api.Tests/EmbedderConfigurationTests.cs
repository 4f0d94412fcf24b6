using FaceService.Api.Contracts;
using FaceService.Embeddings;
using FaceService.Faces;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static FaceService.Api.Tests.Multipart;

namespace FaceService.Api.Tests;

public sealed class EmbedderConfigurationTests : IDisposable
{
    private readonly string _databasePath = FaceServiceFactory.NewDatabasePath();

    public void Dispose() => FaceServiceFactory.DeleteDatabase(_databasePath);

    /// <summary>The general student as its own low-resolution expert: a routed pair that is still not the single model.</summary>
    private static string RoutedModelId(int belowPixels) =>
        ResolutionRoutedEmbedder.PairId(FaceServiceFactory.SingleModelId, FaceServiceFactory.SingleModelId, belowPixels);

    [Theory]
    [InlineData(null, typeof(ResolutionRoutedEmbedder))]
    [InlineData("false", typeof(ResolutionRoutedEmbedder))]
    [InlineData("true", typeof(MirrorAveragingEmbedder))]
    public async Task Mirror_averaging_is_off_by_default_and_switched_on_by_configuration(string? setting, Type expected)
    {
        await using var factory = new FaceServiceFactory(_databasePath, new Dictionary<string, string?> { ["Embedder:MirrorAveraging"] = setting });

        var embedder = factory.Services.GetRequiredService<IFaceEmbedder>();

        Assert.IsType(expected, embedder);
        Assert.Equal(FaceServiceFactory.EmbeddingModelId, embedder.Model.Id);
    }

    [Fact]
    public async Task An_empty_low_resolution_model_path_switches_routing_off()
    {
        await using var factory = new FaceServiceFactory(_databasePath, new Dictionary<string, string?> { ["Embedder:LowResolutionModelPath"] = "" });

        var embedder = factory.Services.GetRequiredService<IFaceEmbedder>();

        Assert.IsType<OnnxFaceEmbedder>(embedder);
        Assert.Equal(FaceServiceFactory.SingleModelId, embedder.Model.Id);
    }

    [Theory]
    [InlineData(null, typeof(ResolutionRoutedEmbedder))]
    [InlineData("true", typeof(MirrorAveragingEmbedder))]
    public async Task A_low_resolution_model_path_routes_the_embedder_under_the_pairs_id(string? mirrorAveraging, Type expected)
    {
        await using var factory = new FaceServiceFactory(_databasePath, new Dictionary<string, string?>
        {
            ["Embedder:LowResolutionModelPath"] = FaceServiceFactory.EmbeddingModelPath,
            ["Embedder:LowResolutionBelowPixels"] = "24",
            ["Embedder:MirrorAveraging"] = mirrorAveraging,
        });

        var embedder = factory.Services.GetRequiredService<IFaceEmbedder>();

        Assert.IsType(expected, embedder);
        Assert.Equal(RoutedModelId(24), embedder.Model.Id);
    }

    [Fact]
    public async Task A_missing_low_resolution_model_stops_the_service_at_start_naming_the_file()
    {
        var missing = Path.Combine(Path.GetDirectoryName(_databasePath)!, "missing-expert.onnx");
        await using var factory = new FaceServiceFactory(_databasePath, new Dictionary<string, string?> { ["Embedder:LowResolutionModelPath"] = missing });

        var error = Assert.Throws<FileNotFoundException>(() => factory.CreateClient());

        Assert.Contains("missing-expert", error.Message);
    }

    [Fact]
    public async Task Verify_with_routing_configured_reports_the_routed_model_id_for_a_small_client_crop()
    {
        await using var factory = new FaceServiceFactory(_databasePath, new Dictionary<string, string?>
        {
            ["Embedder:LowResolutionModelPath"] = FaceServiceFactory.EmbeddingModelPath,
        });
        using var client = factory.CreateAuthorizedClient();
        var model = factory.Services.GetRequiredService<IFaceEmbedder>().Model;
        var crop = TestPhotos.AlignedCrop(factory.Services.GetRequiredService<IFaceAnalyzer>(), TestPhotos.PersonA, model.Alignment, model.InputSize, size: 16);

        var verdict = await ReadOkAsync<VerifyResponse>(await client.PostAsync("/verify", Form(
            ("probe", Png(crop, "probe.png")), ("reference", Png(crop, "reference.png")), ("mode", "crop"))));

        Assert.Equal(RoutedModelId(20), verdict.ModelId);
        Assert.True(verdict.Match, $"similarity {verdict.Similarity}");
    }
}
