using FaceService.Gallery;
using Xunit;

namespace FaceService.Pipeline.Tests.Gallery;

public class ModelEmbeddingTests
{
    [Fact]
    public void Normalize_scales_to_unit_length_and_keeps_direction()
    {
        var embedding = ModelEmbedding.Normalize("m", [3f, 0f, 4f]);

        Assert.Equal([0.6f, 0f, 0.8f], embedding.Vector);
        Assert.Equal("m", embedding.ModelId);
    }

    [Fact]
    public void Normalize_copies_the_input()
    {
        float[] raw = [1f, 2f, 2f];
        var embedding = ModelEmbedding.Normalize("m", raw);
        raw[0] = 100f;

        Assert.Equal(1f / 3f, embedding.Vector[0], 6);
    }

    [Theory]
    [InlineData(0f, 0f)]
    [InlineData(float.NaN, 1f)]
    [InlineData(float.PositiveInfinity, 1f)]
    public void Normalize_refuses_vectors_without_a_direction(float x, float y) =>
        Assert.Throws<ArgumentException>(() => ModelEmbedding.Normalize("m", [x, y]));

    [Fact]
    public void Cosine_similarity_of_normalised_vectors_matches_the_definition()
    {
        var data = new GalleryTestData(1);
        var a = data.RandomVector(130);
        var b = data.RandomVector(130);
        var expected = a.Zip(b, (x, y) => (double)x * y).Sum()
                       / Math.Sqrt(a.Sum(x => (double)x * x)) / Math.Sqrt(b.Sum(x => (double)x * x));

        var similarity = ModelEmbedding.Normalize("m", a).CosineSimilarity(ModelEmbedding.Normalize("m", b));

        Assert.Equal(expected, similarity, 5);
    }

    [Fact]
    public void Cosine_similarity_refuses_two_models()
    {
        var data = new GalleryTestData(2);
        var error = Assert.Throws<ModelMismatchException>(
            () => data.Embedding(GalleryTestData.ModelA).CosineSimilarity(data.Embedding(GalleryTestData.ModelB)));

        Assert.Equal(GalleryTestData.ModelA, error.ProbeModelId);
        Assert.Equal([GalleryTestData.ModelB], error.GalleryModelIds);
    }
}
