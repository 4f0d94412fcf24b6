using FaceService.Gallery;

namespace FaceService.Benchmarks;

/// <summary>
/// Seeded random gallery: one unit-length 128-D embedding per subject, with deterministic face ids so that a persisted
/// USearch graph of the same gallery is recognised and loaded. Probes are either "genuine" (another photo of an
/// enrolled face: the face plus noise, cosine about 0.8 to it) or random directions (nothing enrolled is near).
/// </summary>
public sealed class SyntheticGallery
{
    public const string ModelId = "synthetic-128";
    public const int Dimension = 128;

    private SyntheticGallery(IReadOnlyList<StoredFace> faces) => Faces = faces;

    public IReadOnlyList<StoredFace> Faces { get; }

    public static SyntheticGallery Create(int faceCount, int seed = 17)
    {
        var random = new Random(seed);
        var faces = new StoredFace[faceCount];
        var vector = new float[Dimension];
        Span<byte> guid = stackalloc byte[16];
        for (var i = 0; i < faceCount; i++)
        {
            for (var d = 0; d < Dimension; d++)
                vector[d] = random.NextSingle() * 2 - 1;
            random.NextBytes(guid);
            faces[i] = new StoredFace(new Guid(guid), $"s{i}", ModelEmbedding.Normalize(ModelId, vector), null, DateTimeOffset.UnixEpoch);
        }
        return new SyntheticGallery(faces);
    }

    /// <summary>
    /// Noisy copies of enrolled faces. Uniform noise of half-width h per value has norm h·√(128/3) ≈ 0.75 for h = 0.115,
    /// so a probe's cosine to its source is about 1/√(1 + 0.75²) ≈ 0.8, like a genuine pair.
    /// </summary>
    public ModelEmbedding[] GenuineProbes(int count, int seed = 5)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var source = Faces[random.Next(Faces.Count)].Embedding.Vector;
            var noisy = source.Select(v => v + (random.NextSingle() * 2 - 1) * 0.115f).ToArray();
            return ModelEmbedding.Normalize(ModelId, noisy);
        }).ToArray();
    }

    public static ModelEmbedding[] RandomProbes(int count, int seed = 6)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => ModelEmbedding.Normalize(ModelId, Enumerable.Range(0, Dimension).Select(_ => random.NextSingle() * 2 - 1).ToArray()))
            .ToArray();
    }
}
