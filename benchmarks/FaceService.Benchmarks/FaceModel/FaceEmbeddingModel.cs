using System.Text.Json;
using System.Text.RegularExpressions;
using FaceService.Embeddings;

namespace FaceService.Benchmarks.FaceModel;

/// <summary>
/// The two-covariance (PLDA) generative model of face embeddings: an identity's centre c ~ N(μ, Σ_b), and a photo of
/// it the unit vector of c + w with w ~ N(0, Σ_w). Fitted by <see cref="FaceModelFit"/> from the teacher's embeddings of
/// the training crops and stored as JSON (benchmarks/data/face-embedding-model.json): μ, and Σ_b and Σ_w each as its
/// eigen-decomposition, which is what sampling multiplies by.
/// </summary>
public sealed partial record FaceEmbeddingModel(
    int Dimension,
    float[] Mean,
    CovarianceEigen BetweenIdentity,
    CovarianceEigen WithinIdentity,
    FaceModelProvenance Provenance)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The committed fit: what the <c>faces</c> synthetic galleries sample from.</summary>
    public static string DefaultPath => Path.Combine(RepoPaths.Root, "benchmarks", "data", "face-embedding-model.json");

    public static FaceEmbeddingModel Load(string path) =>
        JsonSerializer.Deserialize<FaceEmbeddingModel>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} holds no face embedding model.");

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // One line per vector keeps the file diffable without a line per number.
        File.WriteAllText(path, NumberArray().Replace(JsonSerializer.Serialize(this, Json), m => Regex.Replace(m.Value, @"\s+", "")));
    }

    [GeneratedRegex(@"\[[-0-9.eE+,\s]+\]")]
    private static partial Regex NumberArray();
}

/// <summary>A covariance as Σ = Σ_k λ_k v_k v_kᵀ: eigenvalues (descending, ≥ 0) and unit eigenvectors.</summary>
public sealed record CovarianceEigen(float[] Eigenvalues, float[][] Eigenvectors)
{
    public double Trace => Eigenvalues.Sum(l => (double)l);

    /// <summary>(Σλ)² / Σλ²: how many directions carry the variance (the dimension for an isotropic Gaussian).</summary>
    public double EffectiveDimension => Trace * Trace / Eigenvalues.Sum(l => (double)l * l);

    /// <summary>Eigen-decomposes a symmetric covariance; negative eigenvalues (estimation noise) become 0.</summary>
    public static CovarianceEigen Of(double[,] covariance)
    {
        var (values, vectors) = SymmetricEigen.Decompose(covariance);
        return new CovarianceEigen(values.Select(v => (float)Math.Max(0, v)).ToArray(), vectors.Select(v => v.Select(x => (float)x).ToArray()).ToArray());
    }
}

/// <summary>Mean and standard deviation of cosine similarities over a set of pairs.</summary>
public sealed record CosineStatistics(double Mean, double Std, int Pairs)
{
    public static CosineStatistics Of(IReadOnlyCollection<double> cosines)
    {
        var mean = cosines.Average();
        return new CosineStatistics(mean, Math.Sqrt(cosines.Sum(c => (c - mean) * (c - mean)) / (cosines.Count - 1)), cosines.Count);
    }
}

/// <summary>Where a fit came from, and the real data's genuine/impostor cosines against the model's, to judge it by.</summary>
public sealed record FaceModelProvenance(
    string Source,
    string Teacher,
    DateTimeOffset FittedAt,
    int LabelledCrops,
    int Identities,
    int WithinIdentityCrops,
    int WithinIdentityIdentities,
    string Method,
    double MirrorCosineMean,
    CosineStatistics RealGenuine,
    CosineStatistics RealImpostor,
    CosineStatistics ModelGenuine,
    CosineStatistics ModelImpostor);

/// <summary>
/// Draws from a <see cref="FaceEmbeddingModel"/>: x = μ + A z with A = V diag(√λ) (row-major, float) and z standard
/// normal, one 128 x 128 mat-vec per draw. Thread-safe: all state is in the caller's <see cref="KeyedRandom"/>.
/// </summary>
public sealed class FaceEmbeddingSampler
{
    private readonly float[] _mean;
    private readonly float[] _between;
    private readonly float[] _within;

    public FaceEmbeddingSampler(FaceEmbeddingModel model)
        : this(model.Mean, model.BetweenIdentity, model.WithinIdentity)
    {
    }

    public FaceEmbeddingSampler(float[] mean, CovarianceEigen betweenIdentity, CovarianceEigen withinIdentity)
    {
        Dimension = mean.Length;
        _mean = mean.ToArray();
        _between = Factor(betweenIdentity, Dimension);
        _within = Factor(withinIdentity, Dimension);
    }

    public int Dimension { get; }

    /// <summary>An identity's centre c ~ N(μ, Σ_b).</summary>
    public void Centre(ref KeyedRandom random, Span<float> centre) => Draw(_between, _mean, ref random, centre);

    /// <summary>A photo of the identity with <paramref name="centre"/>: c + w, w ~ N(0, Σ_w), not yet normalised.</summary>
    public void Face(ReadOnlySpan<float> centre, ref KeyedRandom random, Span<float> face) => Draw(_within, centre, ref random, face);

    /// <summary>
    /// Cosines of sampled pairs: two photos of each of <paramref name="identities"/> new identities (genuine) and photos of
    /// consecutive identities (impostor), normalised as the gallery stores them.
    /// </summary>
    public (CosineStatistics Genuine, CosineStatistics Impostor) PairCosines(int identities, int seed)
    {
        var first = new float[identities][];
        var genuine = new double[identities];
        var centre = new float[Dimension];
        var second = new float[Dimension];
        for (var i = 0; i < identities; i++)
        {
            var random = new KeyedRandom(seed, 0, i);
            Centre(ref random, centre);
            first[i] = new float[Dimension];
            Face(centre, ref random, first[i]);
            Face(centre, ref random, second);
            genuine[i] = EmbeddingMath.Cosine(first[i], second);
        }
        var impostor = Enumerable.Range(0, identities - 1).Select(i => (double)EmbeddingMath.Cosine(first[i], first[i + 1])).ToArray();
        return (CosineStatistics.Of(genuine), CosineStatistics.Of(impostor));
    }

    private void Draw(float[] factor, ReadOnlySpan<float> offset, ref KeyedRandom random, Span<float> result)
    {
        Span<float> z = stackalloc float[Dimension];
        for (var k = 0; k < Dimension; k++)
            z[k] = (float)random.NextGaussian();
        for (var d = 0; d < Dimension; d++)
            result[d] = offset[d] + EmbeddingMath.Dot(factor.AsSpan(d * Dimension, Dimension), z);
    }

    private static float[] Factor(CovarianceEigen covariance, int dimension)
    {
        if (covariance.Eigenvalues.Length != dimension || covariance.Eigenvectors.Any(v => v.Length != dimension))
            throw new InvalidDataException($"A covariance of the model is not {dimension} x {dimension}.");
        var factor = new float[dimension * dimension];
        for (var k = 0; k < dimension; k++)
        {
            var scale = Math.Sqrt(covariance.Eigenvalues[k]);
            for (var d = 0; d < dimension; d++)
                factor[d * dimension + k] = (float)(covariance.Eigenvectors[k][d] * scale);
        }
        return factor;
    }
}
