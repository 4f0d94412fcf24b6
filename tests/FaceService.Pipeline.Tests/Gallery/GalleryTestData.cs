using FaceService.Gallery;

namespace FaceService.Pipeline.Tests.Gallery;

/// <summary>Seeded random embeddings: far apart in 128-D, and near copies of one another on demand.</summary>
internal sealed class GalleryTestData(int seed)
{
    public const string ModelA = "model-a";
    public const string ModelB = "model-b";

    private readonly Random _random = new(seed);

    public float[] RandomVector(int dimension = 128)
    {
        var vector = new float[dimension];
        for (var i = 0; i < dimension; i++)
            vector[i] = (float)(_random.NextDouble() * 2 - 1);
        return vector;
    }

    public ModelEmbedding Embedding(string modelId = ModelA, int dimension = 128) =>
        ModelEmbedding.Normalize(modelId, RandomVector(dimension));

    /// <summary>The same direction plus a little noise: a second photo of the same face.</summary>
    public ModelEmbedding NearCopy(ModelEmbedding of, double noise)
    {
        var vector = of.Vector.Select(v => v + (float)((_random.NextDouble() * 2 - 1) * noise)).ToArray();
        return ModelEmbedding.Normalize(of.ModelId, vector);
    }

    public static string TempDatabasePath() =>
        Path.Combine(Path.GetTempPath(), "faceservice-tests", Guid.NewGuid().ToString("N"), "gallery.db");
}
