using System.Text.Json;
using FaceService.Embeddings;

namespace FaceService.Benchmarks.FaceModel;

/// <summary>
/// The teacher's embedding of every labelled training crop, L2-normalised as the gallery stores them, with its identity.
/// Read from a <c>facetrain</c> train cache: <c>targets.bin</c> (16-byte header "FSTARGT1", int32 count, int32
/// dimension; then per crop the HR embedding and its mirror's, float32: the format of FaceService.Training's
/// TeacherTargets) and <c>index.tsv</c> (header, then line k+1 = crop k; an empty identity = unlabelled, as CropCache
/// parses it). Read here rather than through FaceService.Training so that the benchmarks do not pull in TorchSharp.
/// </summary>
public sealed record LabelledEmbeddings(IReadOnlyList<float[]> Vectors, IReadOnlyList<string> Identities, double MirrorCosineMean, string Teacher)
{
    private static readonly byte[] Magic = "FSTARGT1"u8.ToArray();

    public static LabelledEmbeddings ReadTrainCache(string cacheDirectory)
    {
        var targetsPath = Path.Combine(cacheDirectory, "targets.bin");
        var indexPath = Path.Combine(cacheDirectory, "index.tsv");
        if (!File.Exists(targetsPath) || !File.Exists(indexPath))
            throw new FileNotFoundException($"No teacher targets and crop index in {Path.GetFullPath(cacheDirectory)}: run `facetrain prepare` and `facetrain targets`.");
        var identities = File.ReadLines(indexPath).Skip(1).Select(line => line.Split('\t', 3)[0]).ToArray();

        using var reader = new BinaryReader(File.OpenRead(targetsPath));
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            throw new InvalidDataException($"{targetsPath} is not a teacher-target file.");
        var count = reader.ReadInt32();
        var dimension = reader.ReadInt32();
        if (count != identities.Length)
            throw new InvalidDataException($"{targetsPath} holds {count} crops but {indexPath} lists {identities.Length}.");

        var vectors = new List<float[]>();
        var labels = new List<string>();
        var mirrorCosines = 0.0;
        var bytes = new byte[2 * dimension * sizeof(float)];
        var pair = new float[2 * dimension];
        for (var i = 0; i < count; i++)
        {
            reader.BaseStream.ReadExactly(bytes);
            Buffer.BlockCopy(bytes, 0, pair, 0, bytes.Length);
            if (identities[i].Length == 0)
                continue;
            var highResolution = pair.AsSpan(0, dimension);
            mirrorCosines += EmbeddingMath.Cosine(highResolution, pair.AsSpan(dimension));
            vectors.Add(EmbeddingMath.Normalized(highResolution));
            labels.Add(identities[i]);
        }

        var teacher = "unknown";
        var card = Path.Combine(cacheDirectory, "targets.json");
        if (File.Exists(card) && JsonDocument.Parse(File.ReadAllText(card)).RootElement.TryGetProperty("teacher", out var id))
            teacher = id.GetString() ?? teacher;
        return new LabelledEmbeddings(vectors, labels, mirrorCosines / vectors.Count, teacher);
    }
}

/// <summary>
/// Fits the two-covariance model by the method of moments on unit embeddings grouped by identity:
/// Σ_w = the pooled within-identity scatter over identities with at least two crops (divided by Σ(n_i − 1));
/// μ = the mean of the identity means over all labelled identities; and Σ_b = their scatter less the part of Σ_w that
/// a mean of n_i crops still carries (E[(m_i − μ)(m_i − μ)ᵀ] = Σ_b + Σ_w / n_i), clipped to be positive semi-definite.
/// </summary>
public static class FaceModelFit
{
    public const string Method =
        "two-covariance model by moments on L2-normalised HR teacher embeddings: Sigma_w pooled within identities with >= 2 crops; " +
        "mu and Sigma_b from the identity means of all labelled identities, Sigma_b corrected by mean(1/n_i) Sigma_w; mirrors excluded";

    public static FaceEmbeddingModel Fit(LabelledEmbeddings data, string source, DateTimeOffset fittedAt, int samplePairs = 20_000, int seed = 11)
    {
        var dimension = data.Vectors[0].Length;
        var groups = Groups(data);

        var within = new double[dimension, dimension];
        var withinCrops = 0;
        var withinIdentities = 0;
        var means = new List<double[]>();
        foreach (var members in groups)
        {
            var mean = new double[dimension];
            foreach (var k in members)
                for (var d = 0; d < dimension; d++)
                    mean[d] += data.Vectors[k][d] / members.Count;
            means.Add(mean);
            if (members.Count < 2)
                continue;
            withinIdentities++;
            withinCrops += members.Count;
            foreach (var k in members)
                AddOuter(within, data.Vectors[k].Select((v, d) => v - mean[d]).ToArray());
        }
        Scale(within, 1.0 / (withinCrops - withinIdentities));

        var mu = new double[dimension];
        foreach (var mean in means)
            for (var d = 0; d < dimension; d++)
                mu[d] += mean[d] / means.Count;
        var between = new double[dimension, dimension];
        foreach (var mean in means)
            AddOuter(between, mean.Select((v, d) => v - mu[d]).ToArray());
        Scale(between, 1.0 / (means.Count - 1));
        var meanInverseSize = groups.Average(g => 1.0 / g.Count);
        for (var i = 0; i < dimension; i++)
            for (var j = 0; j < dimension; j++)
                between[i, j] -= meanInverseSize * within[i, j];

        var betweenEigen = CovarianceEigen.Of(between);
        var withinEigen = CovarianceEigen.Of(within);
        var (realGenuine, realImpostor) = RealPairCosines(data, groups, samplePairs, seed);
        var (modelGenuine, modelImpostor) = new FaceEmbeddingSampler(mu.Select(v => (float)v).ToArray(), betweenEigen, withinEigen).PairCosines(samplePairs, seed);
        return new FaceEmbeddingModel(dimension, mu.Select(v => (float)v).ToArray(), betweenEigen, withinEigen,
            new FaceModelProvenance(source, data.Teacher, fittedAt, data.Vectors.Count, groups.Count, withinCrops, withinIdentities,
                Method, data.MirrorCosineMean, realGenuine, realImpostor, modelGenuine, modelImpostor));
    }

    /// <summary>Every same-identity pair of crops, and <paramref name="impostorPairs"/> seeded pairs of crops of two identities.</summary>
    public static (CosineStatistics Genuine, CosineStatistics Impostor) RealPairCosines(LabelledEmbeddings data, IReadOnlyList<List<int>> groups, int impostorPairs, int seed)
    {
        var genuine = new List<double>();
        foreach (var members in groups)
            for (var a = 0; a < members.Count; a++)
                for (var b = a + 1; b < members.Count; b++)
                    genuine.Add(EmbeddingMath.Dot(data.Vectors[members[a]], data.Vectors[members[b]]));
        var random = new Random(seed);
        var impostor = new List<double>(impostorPairs);
        while (impostor.Count < impostorPairs)
        {
            var (a, b) = (random.Next(data.Vectors.Count), random.Next(data.Vectors.Count));
            if (data.Identities[a] != data.Identities[b])
                impostor.Add(EmbeddingMath.Dot(data.Vectors[a], data.Vectors[b]));
        }
        return (CosineStatistics.Of(genuine), CosineStatistics.Of(impostor));
    }

    /// <summary>Crop indices per identity, in first-seen order.</summary>
    public static List<List<int>> Groups(LabelledEmbeddings data)
    {
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var k = 0; k < data.Identities.Count; k++)
            (groups.TryGetValue(data.Identities[k], out var list) ? list : groups[data.Identities[k]] = []).Add(k);
        return groups.Values.ToList();
    }

    private static void AddOuter(double[,] sum, double[] v)
    {
        for (var i = 0; i < v.Length; i++)
            for (var j = 0; j < v.Length; j++)
                sum[i, j] += v[i] * v[j];
    }

    private static void Scale(double[,] matrix, double factor)
    {
        for (var i = 0; i < matrix.GetLength(0); i++)
            for (var j = 0; j < matrix.GetLength(1); j++)
                matrix[i, j] *= factor;
    }
}
