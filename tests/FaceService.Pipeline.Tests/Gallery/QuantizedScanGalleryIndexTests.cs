using FaceService.Benchmarks;
using FaceService.Gallery;
using FaceService.Gallery.QuantizedScan;
using FaceService.Gallery.Usearch;
using Xunit;

namespace FaceService.Pipeline.Tests.Gallery;

/// <summary>
/// The quantized scan against exact search. Small Candidates settings make the approximate scan decide what is
/// re-scored (with Candidates 1 the search returns exactly the scan's best face), so wrong codes cannot hide behind
/// the exact re-scoring.
/// </summary>
public sealed class QuantizedScanGalleryIndexTests
{
    private readonly GalleryTestData _data = new(11);

    private static QuantizedScanGalleryIndex Scan(int candidates) => new(new QuantizedScanOptions { Candidates = candidates });

    private List<StoredFace> RandomGallery(int subjects, int facesPerSubject, string modelId = GalleryTestData.ModelA, int dimension = 128)
    {
        var faces = new List<StoredFace>();
        for (var s = 0; s < subjects; s++)
            for (var f = 0; f < facesPerSubject; f++)
                faces.Add(new StoredFace(Guid.NewGuid(), $"s{s:D5}", _data.Embedding(modelId, dimension), null, DateTimeOffset.UnixEpoch));
        return faces;
    }

    private static void AssertSameMatches(IReadOnlyList<SubjectMatch> expected, IReadOnlyList<SubjectMatch> actual)
    {
        Assert.Equal(expected.Select(m => (m.SubjectId, m.FaceId)), actual.Select(m => (m.SubjectId, m.FaceId)));
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First.Similarity, pair.Second.Similarity, 6));
    }

    [Fact]
    public void Agrees_with_exact_search_on_a_face_model_gallery()
    {
        // Crowded face-like embeddings (impostor cosines around 0.84), one face per subject, as the recall benchmark.
        var gallery = SyntheticGallery.Create(5000, SyntheticData.FaceModel);
        using var exact = new ExactGalleryIndex();
        using var scan = Scan(candidates: 16);
        exact.Rebuild(gallery.Faces);
        scan.Rebuild(gallery.Faces);

        foreach (var probe in gallery.GenuineProbes(100).Concat(gallery.RandomProbes(100)))
            AssertSameMatches(exact.Search(probe, 5), scan.Search(probe, 5));
        Assert.True(scan.LastStartup!.CodeLengthOfModel[SyntheticGallery.ModelId] < SyntheticGallery.Dimension,
            "the face model's variance lies in fewer axes than its dimension, so PCA keeps fewer");
    }

    [Fact]
    public void Agrees_with_exact_search_with_several_faces_per_subject()
    {
        var faces = RandomGallery(subjects: 1000, facesPerSubject: 3);
        using var exact = new ExactGalleryIndex();
        using var scan = Scan(candidates: 32);
        exact.Rebuild(faces);
        scan.Rebuild(faces);

        for (var i = 0; i < 100; i++)
        {
            var probe = _data.NearCopy(faces[i * 29].Embedding, 0.08);
            AssertSameMatches(exact.Search(probe, 5), scan.Search(probe, 5));
            var subject = faces[i * 29].SubjectId;
            Assert.Equal(exact.BestFaceOf(subject, probe), scan.BestFaceOf(subject, probe));
        }
    }

    [Fact]
    public void A_gallery_no_larger_than_the_candidates_is_searched_exactly_after_adds_and_removals()
    {
        using var exact = new ExactGalleryIndex();
        using var scan = Scan(candidates: 256);
        for (var subject = 0; subject < 40; subject++)
        {
            var faces = Enumerable.Range(0, 3).Select(_ => new NewFace(Guid.NewGuid(), _data.Embedding(), null)).ToArray();
            exact.Add($"s{subject:D2}", faces);
            scan.Add($"s{subject:D2}", faces);
        }
        foreach (var index in new IGalleryIndex[] { exact, scan })
        {
            index.RemoveSubject("s07");
            index.RemoveSubject("s39");
        }

        var probe = _data.Embedding();

        AssertSameMatches(exact.Search(probe, 10), scan.Search(probe, 10));
        Assert.Equal(exact.FaceCount, scan.FaceCount);
        Assert.Equal(38, scan.SubjectCount);
    }

    [Fact]
    public void Faces_added_removed_and_moved_after_the_fit_keep_their_codes()
    {
        var faces = RandomGallery(subjects: 2000, facesPerSubject: 1);
        using var scan = Scan(candidates: 1);
        scan.Rebuild(faces);
        var added = Enumerable.Range(0, 50).Select(_ => new NewFace(Guid.NewGuid(), _data.Embedding(), null)).ToArray();
        scan.Add("newcomer", added);
        // Removing early rows moves the last rows (including added faces) into their places.
        foreach (var face in faces.Take(30))
            scan.RemoveFace(face.FaceId);
        scan.RemoveSubject(faces[100].SubjectId);

        var remaining = faces.Skip(30).Where(f => f.SubjectId != faces[100].SubjectId)
            .Select(f => (f.FaceId, f.Embedding)).Concat(added.Select(f => (f.FaceId, f.Embedding))).ToList();
        foreach (var (faceId, embedding) in remaining.TakeLast(200))
            Assert.Equal(faceId, scan.Search(embedding, 1)[0].FaceId);
        Assert.All(faces.Take(30), f => Assert.NotEqual(f.FaceId, scan.Search(f.Embedding, 1)[0].FaceId));
        Assert.False(scan.ContainsSubject(faces[100].SubjectId));
        Assert.Null(scan.BestFaceOf(faces[100].SubjectId, faces[100].Embedding));
        Assert.Equal(remaining.Count, scan.FaceCount);
    }

    [Fact]
    public void A_gallery_grown_one_face_at_a_time_is_refitted_as_it_grows()
    {
        using var scan = Scan(candidates: 1);
        var faces = Enumerable.Range(0, 300).Select(_ => new NewFace(Guid.NewGuid(), _data.Embedding(), null)).ToArray();
        for (var i = 0; i < faces.Length; i++)
            scan.Add($"s{i}", [faces[i]]);

        // A codec fitted to the first faces alone would keep one or two axes and could not tell the faces apart.
        Assert.All(faces, f => Assert.Equal(f.FaceId, scan.Search(f.Embedding, 1)[0].FaceId));
    }

    [Fact]
    public void A_subject_with_many_faces_does_not_hide_the_others()
    {
        var background = RandomGallery(subjects: 300, facesPerSubject: 1);
        using var scan = Scan(candidates: 4);
        scan.Rebuild(background);
        var probe = _data.Embedding();
        scan.Add("crowd", Enumerable.Range(0, 20).Select(_ => new NewFace(Guid.NewGuid(), _data.NearCopy(probe, 0.01), null)).ToArray());
        scan.Add("other", [new NewFace(Guid.NewGuid(), _data.NearCopy(probe, 0.3), null)]);

        var matches = scan.Search(probe, topK: 3);

        Assert.Equal(["crowd", "other"], matches.Take(2).Select(m => m.SubjectId));
        Assert.Equal(3, matches.Count);
    }

    [Fact]
    public void Models_are_searched_apart_each_with_its_own_codes()
    {
        using var scan = Scan(candidates: 2);
        // Enough faces that each model's variance fills all its axes.
        var modelA = RandomGallery(subjects: 400, facesPerSubject: 1, GalleryTestData.ModelA, 128);
        var modelB = RandomGallery(subjects: 400, facesPerSubject: 1, GalleryTestData.ModelB, 64);
        scan.Rebuild([.. modelA, .. modelB]);
        var shared = _data.RandomVector();
        scan.Add("alice", [new NewFace(Guid.NewGuid(), ModelEmbedding.Normalize(GalleryTestData.ModelA, shared), null)]);

        var probeOfModelB = ModelEmbedding.Normalize(GalleryTestData.ModelB, shared.AsSpan(0, 64));

        Assert.Equal("alice", scan.Search(ModelEmbedding.Normalize(GalleryTestData.ModelA, shared), 1)[0].SubjectId);
        Assert.Equal(modelB[7].FaceId, scan.Search(modelB[7].Embedding, 1)[0].FaceId);
        Assert.DoesNotContain(scan.Search(probeOfModelB, 5), m => m.SubjectId == "alice");
        Assert.Null(scan.BestFaceOf("alice", probeOfModelB));
        Assert.Empty(scan.Search(_data.Embedding("model-c"), 5));
        Assert.Equal([GalleryTestData.ModelA], scan.ModelIdsOf("alice"));
        Assert.Equal(new Dictionary<string, int> { [GalleryTestData.ModelA] = 128, [GalleryTestData.ModelB] = 64 }, scan.LastStartup!.CodeLengthOfModel);
    }

    [Fact]
    public void An_empty_gallery_finds_nothing()
    {
        using var scan = Scan(candidates: 8);
        scan.Rebuild([]);

        Assert.Empty(scan.Search(_data.Embedding(), 5));
        Assert.Null(scan.BestFaceOf("anyone", _data.Embedding()));
        Assert.Equal((0, 0), (scan.FaceCount, scan.SubjectCount));
        Assert.Empty(scan.ModelIds);
    }

    [Fact]
    public void Bad_input_is_refused_as_by_exact_search()
    {
        using var scan = Scan(candidates: 8);
        var face = new NewFace(Guid.NewGuid(), _data.Embedding(dimension: 128), null);
        scan.Rebuild(RandomGallery(subjects: 50, facesPerSubject: 1));
        scan.Add("alice", [face]);

        Assert.Throws<ArgumentException>(() => scan.Search(_data.Embedding(dimension: 64), topK: 1));
        Assert.Throws<ArgumentException>(() => scan.Add("bob", [new NewFace(Guid.NewGuid(), _data.Embedding(dimension: 64), null)]));
        Assert.Throws<InvalidOperationException>(() => scan.Add("carol", [face]));
        Assert.Throws<ArgumentOutOfRangeException>(() => scan.Search(face.Embedding, topK: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizedScanGalleryIndex(new QuantizedScanOptions { RetainedVariance = 0 }));
        Assert.Equal(51, scan.FaceCount);
    }

    [Fact]
    public void Rebuild_replaces_the_content()
    {
        using var scan = Scan(candidates: 4);
        scan.Rebuild(RandomGallery(subjects: 100, facesPerSubject: 1));
        var replacement = RandomGallery(subjects: 100, facesPerSubject: 1).Select(f => f with { SubjectId = "new-" + f.SubjectId }).ToList();

        scan.Rebuild(replacement);

        Assert.False(scan.ContainsSubject("s00000"));
        Assert.Equal(replacement[42].FaceId, scan.Search(replacement[42].Embedding, 1)[0].FaceId);
        Assert.Equal(100, scan.FaceCount);
    }

    [Fact]
    public void Concurrent_searches_and_writes_stay_consistent()
    {
        var faces = RandomGallery(subjects: 500, facesPerSubject: 1);
        using var scan = Scan(candidates: 8);
        scan.Rebuild(faces);

        // Drawn up front: System.Random is not thread-safe, and a corrupted one yields identical vectors.
        var newcomers = Enumerable.Range(0, 400).Select(_ => _data.Embedding()).ToArray();

        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            if (i % 10 == 0)
                scan.Add($"n{i}", [new NewFace(Guid.NewGuid(), newcomers[i], null)]);
            else
                Assert.Equal(faces[i].SubjectId, scan.Search(faces[i].Embedding, 3)[0].SubjectId);
        });

        Assert.Equal(540, scan.FaceCount);
    }

    [Theory]
    [InlineData(99, false)]
    [InlineData(100, true)]
    public void Auto_index_switches_to_the_quantized_scan_from_the_threshold(int faceCount, bool approximate)
    {
        using var index = (AutoGalleryIndex)GalleryIndexes.Create(GalleryIndexKind.Auto, autoMinFaces: 100, new UsearchIndexOptions(), new QuantizedScanOptions());
        var faces = RandomGallery(faceCount, 1);

        index.Rebuild(faces);

        Assert.Equal(approximate, index.Current is QuantizedScanGalleryIndex);
        Assert.Equal(faces[5].SubjectId, index.Search(faces[5].Embedding, 1)[0].SubjectId);
    }

    [Theory]
    [InlineData(GalleryIndexKind.Exact, typeof(ExactGalleryIndex))]
    [InlineData(GalleryIndexKind.QuantizedScan, typeof(QuantizedScanGalleryIndex))]
    [InlineData(GalleryIndexKind.Usearch, typeof(UsearchGalleryIndex))]
    public void Each_kind_creates_its_index(GalleryIndexKind kind, Type expected)
    {
        var index = GalleryIndexes.Create(kind, autoMinFaces: 100, new UsearchIndexOptions(), new QuantizedScanOptions());
        try
        {
            Assert.IsType(expected, index);
        }
        finally
        {
            (index as IDisposable)?.Dispose();
        }
    }
}
