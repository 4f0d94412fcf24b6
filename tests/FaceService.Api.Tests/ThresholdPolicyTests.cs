using FaceService.Api.Faces;
using FaceService.Api.Options;
using FaceService.Embeddings;
using FaceService.Faces.Alignment;
using Xunit;

namespace FaceService.Api.Tests;

public class ThresholdPolicyTests
{
    private static readonly EmbeddingModelInfo Card = new("card-model", 112, 128, AlignmentKind.SimilarityWarp,
    [
        new OperatingPoint(1e-3, 0.62, "synthetic"),
        new OperatingPoint(1e-2, 0.55, "synthetic"),
    ]);

    private static ThresholdPolicy Policy(EmbeddingModelInfo card, ThresholdOptions options) =>
        new(new CardOnlyEmbedder(card), Microsoft.Extensions.Options.Options.Create(options));

    [Fact]
    public void The_default_is_the_card_operating_point_for_the_target_far()
    {
        var policy = Policy(Card, new ThresholdOptions { TargetFar = 0.01 });

        Assert.Equal(0.55, policy.Default);
        Assert.Equal(0.01, policy.TargetFar);
        Assert.Equal(0.55, policy.Resolve(null));
        Assert.Equal(0.7, policy.Resolve(0.7));
    }

    [Fact]
    public void A_pinned_cosine_replaces_the_card()
    {
        var policy = Policy(Card, new ThresholdOptions { TargetFar = 1e-3, Cosine = 0.4 });

        Assert.Equal(0.4, policy.Default);
        Assert.Null(policy.TargetFar);
        Assert.Contains("Thresholds:Cosine", policy.Source);
    }

    [Fact]
    public void A_target_far_the_card_does_not_have_stops_the_service_and_says_which_it_has()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Policy(Card, new ThresholdOptions { TargetFar = 1e-4 }));

        Assert.Contains("0.001", error.Message);
        Assert.Contains("Thresholds:Cosine", error.Message);
    }

    [Theory]
    [InlineData(-1.0, true)]
    [InlineData(1.0, true)]
    [InlineData(1.01, false)]
    [InlineData(double.NaN, false)]
    public void Valid_thresholds_are_cosines(double threshold, bool valid) => Assert.Equal(valid, ThresholdPolicy.IsValid(threshold));

    /// <summary>Only the card matters here; nothing is embedded.</summary>
    private sealed class CardOnlyEmbedder(EmbeddingModelInfo model) : IFaceEmbedder
    {
        public EmbeddingModelInfo Model { get; } = model;

        public float[][] Embed(IReadOnlyList<AlignedFace> faces) => throw new NotSupportedException();
    }
}
