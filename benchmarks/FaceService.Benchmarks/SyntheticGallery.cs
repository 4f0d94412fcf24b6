using FaceService.Benchmarks.FaceModel;
using FaceService.Gallery;

namespace FaceService.Benchmarks;

/// <summary>What a synthetic gallery's embeddings look like.</summary>
public enum SyntheticData
{
    /// <summary>Uniformly random unit vectors: no neighbourhood structure at all, the worst case for a graph index.</summary>
    Uniform,

    /// <summary>
    /// Sampled from the two-covariance model fitted to the teacher's embeddings of the training crops
    /// (<see cref="FaceEmbeddingModel"/>): anisotropic like real face embeddings, each face a draw around its identity's centre.
    /// </summary>
    FaceModel,
}

/// <summary>
/// Seeded synthetic gallery: one unit-length 128-D embedding per subject, with deterministic face ids so that a persisted
/// USearch graph of the same gallery is recognised and loaded. Probes are either "genuine" (another photo of an enrolled
/// subject) or "random" (a subject who is not enrolled). For <see cref="SyntheticData.Uniform"/> a genuine probe is the
/// face plus noise (cosine about 0.8 to it) and a random probe a random direction; for
/// <see cref="SyntheticData.FaceModel"/> face i = normalize(c_i + w_i), a genuine probe normalize(c_i + w') with a fresh
/// within-identity draw w', and a random probe a new identity's face.
/// </summary>
public sealed class SyntheticGallery
{
    public const string ModelId = "synthetic-128";
    public const int Dimension = 128;

    // Independent random streams of the face-model galleries (see KeyedRandom).
    private const ulong GalleryFaceStream = 1;
    private const ulong FaceIdStream = 2;
    private const ulong ProbeSourceStream = 3;
    private const ulong ProbePhotoStream = 4;
    private const ulong NewIdentityStream = 5;

    private static readonly Lazy<FaceEmbeddingSampler> FittedModel = new(() => new FaceEmbeddingSampler(FaceEmbeddingModel.Load(FaceEmbeddingModel.DefaultPath)));

    private readonly int _seed;

    private SyntheticGallery(SyntheticData data, int seed, IReadOnlyList<StoredFace> faces)
    {
        Data = data;
        _seed = seed;
        Faces = faces;
    }

    public SyntheticData Data { get; }

    public IReadOnlyList<StoredFace> Faces { get; }

    /// <summary>"uniform" or "faces": the <c>--data</c> value, and the name in persisted-index folders and results.</summary>
    public static string NameOf(SyntheticData data) => data switch
    {
        SyntheticData.Uniform => "uniform",
        SyntheticData.FaceModel => "faces",
        _ => throw new ArgumentOutOfRangeException(nameof(data), data, null),
    };

    public static SyntheticData Parse(string name) => name switch
    {
        "uniform" => SyntheticData.Uniform,
        "faces" => SyntheticData.FaceModel,
        _ => throw new ArgumentException($"Unknown synthetic data '{name}': uniform or faces.", nameof(name)),
    };

    public static SyntheticGallery Create(int faceCount, SyntheticData data = SyntheticData.Uniform, int seed = 17) => data switch
    {
        SyntheticData.Uniform => CreateUniform(faceCount, seed),
        SyntheticData.FaceModel => CreateFromFaceModel(faceCount, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(data), data, null),
    };

    /// <summary>Another photo of an enrolled subject, for <paramref name="count"/> subjects drawn at random.</summary>
    public ModelEmbedding[] GenuineProbes(int count, int seed = 5) => Data == SyntheticData.Uniform ? UniformGenuineProbes(count, seed) : FaceModelGenuineProbes(count, seed);

    /// <summary>Photos of subjects who are not enrolled.</summary>
    public ModelEmbedding[] RandomProbes(int count, int seed = 6) => Data == SyntheticData.Uniform ? UniformRandomProbes(count, seed) : FaceModelRandomProbes(count, seed);

    private static SyntheticGallery CreateUniform(int faceCount, int seed)
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
        return new SyntheticGallery(SyntheticData.Uniform, seed, faces);
    }

    /// <summary>
    /// Noisy copies of enrolled faces. Uniform noise of half-width h per value has norm h·√(128/3) ≈ 0.75 for h = 0.115,
    /// so a probe's cosine to its source is about 1/√(1 + 0.75²) ≈ 0.8, like a genuine pair.
    /// </summary>
    private ModelEmbedding[] UniformGenuineProbes(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var source = Faces[random.Next(Faces.Count)].Embedding.Vector;
            var noisy = source.Select(v => v + (random.NextSingle() * 2 - 1) * 0.115f).ToArray();
            return ModelEmbedding.Normalize(ModelId, noisy);
        }).ToArray();
    }

    private static ModelEmbedding[] UniformRandomProbes(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => ModelEmbedding.Normalize(ModelId, Enumerable.Range(0, Dimension).Select(_ => random.NextSingle() * 2 - 1).ToArray()))
            .ToArray();
    }

    /// <summary>Face i depends only on (seed, i), so the faces are drawn in parallel and any identity's centre can be redrawn.</summary>
    private static SyntheticGallery CreateFromFaceModel(int faceCount, int seed)
    {
        var model = FittedModel.Value;
        var faces = new StoredFace[faceCount];
        Parallel.For(0, faceCount, i =>
        {
            var random = new KeyedRandom(seed, GalleryFaceStream, i);
            Span<float> centre = stackalloc float[Dimension];
            Span<float> face = stackalloc float[Dimension];
            model.Centre(ref random, centre);
            model.Face(centre, ref random, face);
            var faceId = new KeyedRandom(seed, FaceIdStream, i).NextGuid();
            faces[i] = new StoredFace(faceId, $"s{i}", ModelEmbedding.Normalize(ModelId, face), null, DateTimeOffset.UnixEpoch);
        });
        return new SyntheticGallery(SyntheticData.FaceModel, seed, faces);
    }

    private ModelEmbedding[] FaceModelGenuineProbes(int count, int seed)
    {
        var model = FittedModel.Value;
        return Enumerable.Range(0, count).Select(k =>
        {
            var subject = (int)(new KeyedRandom(seed, ProbeSourceStream, k).NextUInt64() % (ulong)Faces.Count);
            var identity = new KeyedRandom(_seed, GalleryFaceStream, subject);
            Span<float> centre = stackalloc float[Dimension];
            Span<float> face = stackalloc float[Dimension];
            model.Centre(ref identity, centre);
            var photo = new KeyedRandom(seed, ProbePhotoStream, k);
            model.Face(centre, ref photo, face);
            return ModelEmbedding.Normalize(ModelId, face);
        }).ToArray();
    }

    private ModelEmbedding[] FaceModelRandomProbes(int count, int seed)
    {
        var model = FittedModel.Value;
        return Enumerable.Range(0, count).Select(k =>
        {
            // A separate stream from the gallery's: the new identities are not enrolled subjects.
            var random = new KeyedRandom(seed ^ _seed, NewIdentityStream, k);
            Span<float> centre = stackalloc float[Dimension];
            Span<float> face = stackalloc float[Dimension];
            model.Centre(ref random, centre);
            model.Face(centre, ref random, face);
            return ModelEmbedding.Normalize(ModelId, face);
        }).ToArray();
    }
}
