using FaceService.Gallery;
using FaceService.Gallery.Usearch;
using Xunit;

namespace FaceService.Pipeline.Tests.Gallery;

public sealed class UsearchGalleryIndexTests : IDisposable
{
    private readonly GalleryTestData _data = new(7);
    private readonly string _persistPath = Path.Combine(Path.GetTempPath(), "faceservice-tests", Guid.NewGuid().ToString("N"), "gallery.db.usearch");

    public void Dispose()
    {
        var folder = Path.GetDirectoryName(_persistPath)!;
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    private List<StoredFace> RandomGallery(int subjects, int facesPerSubject, string modelId = GalleryTestData.ModelA)
    {
        var faces = new List<StoredFace>();
        for (var s = 0; s < subjects; s++)
        for (var f = 0; f < facesPerSubject; f++)
            faces.Add(new StoredFace(Guid.NewGuid(), $"s{s:D5}", _data.Embedding(modelId), null, DateTimeOffset.UnixEpoch));
        return faces;
    }

    [Fact]
    public void Recall_at_1_against_exact_search_on_random_embeddings()
    {
        var faces = RandomGallery(subjects: 3000, facesPerSubject: 2);
        using var exact = new ExactGalleryIndex();
        using var approximate = new UsearchGalleryIndex();
        exact.Rebuild(faces);
        approximate.Rebuild(faces);

        // Probes as identification sees them: another photo of an enrolled face (cosine ~0.8 to it).
        var probes = Enumerable.Range(0, 200).Select(i => _data.NearCopy(faces[i * 29].Embedding, 0.08)).ToArray();
        var agreements = probes.Count(p => exact.Search(p, 1)[0].SubjectId == approximate.Search(p, 1)[0].SubjectId);

        Assert.True(agreements >= 198, $"recall@1 {agreements}/200");
    }

    [Fact]
    public void Similarities_are_the_exact_cosines_and_best_face_agrees_with_exact()
    {
        var faces = RandomGallery(subjects: 50, facesPerSubject: 3);
        using var exact = new ExactGalleryIndex();
        using var approximate = new UsearchGalleryIndex();
        exact.Rebuild(faces);
        approximate.Rebuild(faces);
        var probe = _data.NearCopy(faces[10].Embedding, 0.05);

        var expected = exact.Search(probe, 5);
        var actual = approximate.Search(probe, 5);

        Assert.Equal(expected.Select(m => (m.SubjectId, m.FaceId)), actual.Select(m => (m.SubjectId, m.FaceId)));
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First.Similarity, pair.Second.Similarity, 5));
        var subject = faces[10].SubjectId;
        Assert.Equal(exact.BestFaceOf(subject, probe)!.FaceId, approximate.BestFaceOf(subject, probe)!.FaceId);
        Assert.Equal(exact.BestFaceOf(subject, probe)!.Similarity, approximate.BestFaceOf(subject, probe)!.Similarity, 5);
    }

    [Fact]
    public void A_subject_with_many_faces_does_not_hide_the_others()
    {
        using var index = new UsearchGalleryIndex(new UsearchIndexOptions { SearchCandidates = 4 });
        var probe = _data.Embedding();
        index.Add("crowd", Enumerable.Range(0, 20).Select(_ => new NewFace(Guid.NewGuid(), _data.NearCopy(probe, 0.01), null)).ToArray());
        index.Add("other", [new NewFace(Guid.NewGuid(), _data.NearCopy(probe, 0.3), null)]);
        index.Add("third", [new NewFace(Guid.NewGuid(), _data.Embedding(), null)]);

        var matches = index.Search(probe, topK: 3);

        Assert.Equal(["crowd", "other", "third"], matches.Select(m => m.SubjectId));
    }

    [Fact]
    public void Deleted_faces_and_subjects_are_never_returned()
    {
        var faces = RandomGallery(subjects: 200, facesPerSubject: 2);
        using var index = new UsearchGalleryIndex();
        index.Rebuild(faces);
        var removedFace = faces[0];
        var removedSubject = faces[10].SubjectId;

        index.RemoveFace(removedFace.FaceId);
        index.RemoveSubject(removedSubject);

        var nearRemovedFace = index.Search(removedFace.Embedding, 400);
        Assert.DoesNotContain(nearRemovedFace, m => m.FaceId == removedFace.FaceId);
        Assert.Contains(nearRemovedFace, m => m.SubjectId == removedFace.SubjectId); // its other face stays
        Assert.DoesNotContain(index.Search(faces[10].Embedding, 400), m => m.SubjectId == removedSubject);
        Assert.False(index.ContainsSubject(removedSubject));
        Assert.Null(index.BestFaceOf(removedSubject, faces[10].Embedding));
        Assert.Equal(faces.Count - 3, index.FaceCount);
        Assert.Equal(199, index.SubjectCount);
    }

    [Fact]
    public void Persisted_index_is_loaded_when_it_matches_the_store_and_answers_the_same()
    {
        var faces = RandomGallery(subjects: 500, facesPerSubject: 2);
        var probes = Enumerable.Range(0, 20).Select(i => _data.NearCopy(faces[i * 40].Embedding, 0.1)).ToArray();
        var added = new NewFace(Guid.NewGuid(), _data.Embedding(), null);
        IReadOnlyList<SubjectMatch>[] before;
        using (var first = new UsearchGalleryIndex(new UsearchIndexOptions { PersistPath = _persistPath }))
        {
            first.Rebuild(faces);
            Assert.False(first.LastStartup!.LoadedFromFile);
            first.RemoveFace(faces[1].FaceId);
            first.Add("newcomer", [added]);
            before = probes.Select(p => first.Search(p, 5)).ToArray();
        } // dispose saves the changes

        var stored = faces.Where(f => f.FaceId != faces[1].FaceId)
            .Append(new StoredFace(added.FaceId, "newcomer", added.Embedding, null, DateTimeOffset.UnixEpoch)).ToList();
        using var second = new UsearchGalleryIndex(new UsearchIndexOptions { PersistPath = _persistPath });
        second.Rebuild(stored);

        Assert.True(second.LastStartup!.LoadedFromFile, second.LastStartup.RebuildReason);
        Assert.Equal(stored.Count, second.FaceCount);
        Assert.Equal(before.Select(r => r.Select(m => m.FaceId)), probes.Select(p => second.Search(p, 5).Select(m => m.FaceId)));
        Assert.Equal("newcomer", second.Search(added.Embedding, 1)[0].SubjectId);
        // New keys continue after the persisted ones.
        var later = new NewFace(Guid.NewGuid(), _data.Embedding(), null);
        second.Add("later", [later]);
        Assert.Equal(later.FaceId, second.Search(later.Embedding, 1)[0].FaceId);
        Assert.Equal(added.FaceId, second.Search(added.Embedding, 1)[0].FaceId);
    }

    [Fact]
    public void Persisted_index_that_differs_from_the_store_is_rebuilt()
    {
        var faces = RandomGallery(subjects: 100, facesPerSubject: 1);
        using (var first = new UsearchGalleryIndex(new UsearchIndexOptions { PersistPath = _persistPath }))
            first.Rebuild(faces);

        // The store gained a face the persisted index never saw (e.g. the service crashed before saving).
        var extra = new StoredFace(Guid.NewGuid(), "late", _data.Embedding(), null, DateTimeOffset.UnixEpoch);
        using var second = new UsearchGalleryIndex(new UsearchIndexOptions { PersistPath = _persistPath });
        second.Rebuild([.. faces.Skip(1), extra]);

        Assert.False(second.LastStartup!.LoadedFromFile);
        Assert.Equal("late", second.Search(extra.Embedding, 1)[0].SubjectId);
        Assert.DoesNotContain(second.Search(faces[0].Embedding, 100), m => m.FaceId == faces[0].FaceId);

        using var third = new UsearchGalleryIndex(new UsearchIndexOptions { PersistPath = _persistPath });
        third.Rebuild([.. faces.Skip(1), extra]);
        Assert.True(third.LastStartup!.LoadedFromFile, third.LastStartup.RebuildReason);
    }

    [Fact]
    public void Models_are_searched_apart()
    {
        using var index = new UsearchGalleryIndex();
        var a = _data.Embedding(GalleryTestData.ModelA);
        index.Add("alice", [new NewFace(Guid.NewGuid(), a, null)]);
        index.Add("bob", [new NewFace(Guid.NewGuid(), _data.Embedding(GalleryTestData.ModelB, 64), null)]);

        Assert.Equal(["alice"], index.Search(a, 5).Select(m => m.SubjectId));
        Assert.Empty(index.Search(_data.Embedding("model-c"), 5));
        Assert.Equal([GalleryTestData.ModelB], index.ModelIdsOf("bob"));
        Assert.Null(index.BestFaceOf("bob", a));
    }

    [Fact]
    public void Every_face_of_a_rebuild_is_reachable()
    {
        // Parallel inserts stranded about 1 face in 5,000 outside the graph (USearch issue #735). A beam wider than the
        // gallery visits every reachable face, so each face must find itself.
        var faces = RandomGallery(subjects: 1500, facesPerSubject: 1);
        using var index = new UsearchGalleryIndex(new UsearchIndexOptions { SearchCandidates = 2048 });
        index.Rebuild(faces);

        var lost = faces.Where(f => index.Search(f.Embedding, 1)[0].SubjectId != f.SubjectId).Select(f => f.SubjectId);

        Assert.Empty(lost);
    }

    [Fact]
    public void Concurrent_searches_and_writes_stay_consistent()
    {
        var faces = RandomGallery(subjects: 500, facesPerSubject: 1);
        // A search beam wider than the gallery visits every face, so a miss can only come from a concurrency fault,
        // not from the approximation (uniform random vectors are HNSW's worst case).
        using var index = new UsearchGalleryIndex(new UsearchIndexOptions { SearchCandidates = 1024 });
        index.Rebuild(faces);

        // Drawn up front: System.Random is not thread-safe, and a corrupted one yields identical vectors.
        var newcomers = Enumerable.Range(0, 400).Select(_ => _data.Embedding()).ToArray();

        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
        {
            if (i % 10 == 0)
                index.Add($"n{i}", [new NewFace(Guid.NewGuid(), newcomers[i], null)]);
            else
                Assert.Equal(faces[i].SubjectId, index.Search(faces[i].Embedding, 3)[0].SubjectId);
        });

        Assert.Equal(540, index.FaceCount);
    }
}
