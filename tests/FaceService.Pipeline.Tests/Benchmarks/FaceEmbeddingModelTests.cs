using FaceService.Benchmarks;
using FaceService.Benchmarks.FaceModel;
using FaceService.Embeddings;
using Xunit;

namespace FaceService.Pipeline.Tests.Benchmarks;

/// <summary>The fitted face-embedding model behind the <c>faces</c> synthetic galleries: its fit, its samples, its linear algebra.</summary>
public sealed class FaceEmbeddingModelTests
{
    private static readonly FaceEmbeddingModel Fitted = FaceEmbeddingModel.Load(FaceEmbeddingModel.DefaultPath);

    [Fact]
    public void Samples_of_the_committed_model_reproduce_the_real_genuine_and_impostor_cosines()
    {
        var (genuine, impostor) = new FaceEmbeddingSampler(Fitted).PairCosines(identities: 4000, seed: 3);

        // The genuine mean is |μ|² + tr Σ_b and the impostor mean |μ|²: swapping Σ_b and Σ_w moves the first by 0.05.
        Assert.InRange(genuine.Mean, Fitted.Provenance.RealGenuine.Mean - 0.01, Fitted.Provenance.RealGenuine.Mean + 0.01);
        Assert.InRange(impostor.Mean, Fitted.Provenance.RealImpostor.Mean - 0.01, Fitted.Provenance.RealImpostor.Mean + 0.01);
        Assert.InRange(impostor.Std, Fitted.Provenance.RealImpostor.Std * 0.8, Fitted.Provenance.RealImpostor.Std * 1.2);
    }

    [Fact]
    public void Fit_recovers_the_covariances_of_data_drawn_from_a_known_model()
    {
        // Four photos of each of 3000 identities drawn from the committed model, then fitted again.
        var sampler = new FaceEmbeddingSampler(Fitted);
        var vectors = new List<float[]>();
        var identities = new List<string>();
        var centre = new float[sampler.Dimension];
        for (var i = 0; i < 3000; i++)
        {
            var random = new KeyedRandom(1, 0, i);
            sampler.Centre(ref random, centre);
            for (var photo = 0; photo < (i % 3 == 0 ? 1 : 4); photo++)
            {
                var face = new float[sampler.Dimension];
                sampler.Face(centre, ref random, face);
                vectors.Add(EmbeddingMath.Normalized(face));
                identities.Add($"id{i}");
            }
        }

        var refit = FaceModelFit.Fit(new LabelledEmbeddings(vectors, identities, 1, "test"), "test", DateTimeOffset.UnixEpoch, samplePairs: 2000);

        // Singletons (every third identity) only inform Σ_b, through the 1/n_i correction.
        Assert.InRange(refit.BetweenIdentity.Trace, Fitted.BetweenIdentity.Trace * 0.9, Fitted.BetweenIdentity.Trace * 1.1);
        Assert.InRange(refit.WithinIdentity.Trace, Fitted.WithinIdentity.Trace * 0.9, Fitted.WithinIdentity.Trace * 1.1);
        Assert.InRange(EmbeddingMath.Cosine(refit.Mean, Fitted.Mean), 0.999, 1.0);
        Assert.Equal(3000, refit.Provenance.Identities);
        Assert.Equal(2000, refit.Provenance.WithinIdentityIdentities);
    }

    [Fact]
    public void Face_model_gallery_is_deterministic_unit_length_and_clustered_like_faces()
    {
        var first = SyntheticGallery.Create(500, SyntheticData.FaceModel, seed: 4);
        var second = SyntheticGallery.Create(500, SyntheticData.FaceModel, seed: 4);

        Assert.Equal(first.Faces.Select(f => f.FaceId), second.Faces.Select(f => f.FaceId));
        Assert.Equal(first.Faces[123].Embedding.Vector, second.Faces[123].Embedding.Vector);
        Assert.Equal(first.GenuineProbes(5)[4].Vector, second.GenuineProbes(5)[4].Vector);
        Assert.All(first.Faces, f => Assert.InRange(EmbeddingMath.Norm(f.Embedding.Vector), 0.999f, 1.001f));
        Assert.NotEqual(first.Faces[0].Embedding.Vector, SyntheticGallery.Create(500, SyntheticData.FaceModel, seed: 5).Faces[0].Embedding.Vector);

        // Unlike uniform data (mean cosine 0), two enrolled faces are as alike as two real people's embeddings.
        var impostor = Enumerable.Range(0, 499).Average(i => first.Faces[i].Embedding.CosineSimilarity(first.Faces[i + 1].Embedding));
        Assert.InRange(impostor, Fitted.Provenance.RealImpostor.Mean - 0.02, Fitted.Provenance.RealImpostor.Mean + 0.02);
    }

    [Fact]
    public void Genuine_probes_match_their_subject_and_random_probes_are_new_identities()
    {
        var gallery = SyntheticGallery.Create(300, SyntheticData.FaceModel);
        using var exact = new FaceService.Gallery.ExactGalleryIndex();
        exact.Rebuild(gallery.Faces);

        // With 300 subjects the genuine mate (cosine ≈ 0.95) nearly always beats every impostor (0.84 ± 0.04).
        var genuineBest = gallery.GenuineProbes(200).Select(p => exact.Search(p, 1)[0].Similarity).ToArray();
        var randomBest = gallery.RandomProbes(200).Select(p => exact.Search(p, 1)[0].Similarity).ToArray();
        Assert.True(genuineBest.Average() > randomBest.Average() + 0.02, $"genuine {genuineBest.Average():F3}, random {randomBest.Average():F3}");
    }

    [Fact]
    public void Jacobi_eigen_decomposition_diagonalises_a_symmetric_matrix()
    {
        var random = new Random(2);
        const int n = 24;
        var b = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                b[i, j] = random.NextDouble() - 0.5;
        var a = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                for (var k = 0; k < n; k++)
                    a[i, j] += b[i, k] * b[j, k];

        var (values, vectors) = SymmetricEigen.Decompose(a);

        Assert.Equal(values.OrderByDescending(v => v), values);
        for (var k = 0; k < n; k++)
            for (var i = 0; i < n; i++)
            {
                var av = Enumerable.Range(0, n).Sum(j => a[i, j] * vectors[k][j]);
                Assert.Equal(values[k] * vectors[k][i], av, 1e-9);
                Assert.Equal(k == i ? 1 : 0, Enumerable.Range(0, n).Sum(j => vectors[k][j] * vectors[i][j]), 1e-9);
            }
    }
}
