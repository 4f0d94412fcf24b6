using FaceService.Gallery;
using Xunit;

namespace FaceService.Pipeline.Tests.Gallery;

public class ExactGalleryIndexTests
{
    private readonly GalleryTestData _data = new(42);

    [Fact]
    public void Search_ranks_subjects_by_their_best_face()
    {
        using var index = new ExactGalleryIndex();
        var probe = _data.Embedding();
        var closeToProbe = new NewFace(Guid.NewGuid(), _data.NearCopy(probe, 0.02), null);
        var farFromProbe = new NewFace(Guid.NewGuid(), _data.Embedding(), null);
        var somewhatClose = new NewFace(Guid.NewGuid(), _data.NearCopy(probe, 0.15), null);
        index.Add("alice", [farFromProbe, closeToProbe]);
        index.Add("bob", [somewhatClose]);
        index.Add("carol", [new NewFace(Guid.NewGuid(), _data.Embedding(), null)]);

        var matches = index.Search(probe, topK: 2);

        Assert.Equal(["alice", "bob"], matches.Select(m => m.SubjectId));
        Assert.Equal(closeToProbe.FaceId, matches[0].FaceId);
        Assert.Equal(probe.CosineSimilarity(closeToProbe.Embedding), matches[0].Similarity, 5);
        Assert.True(matches[0].Similarity > matches[1].Similarity);
    }

    [Fact]
    public void Search_agrees_with_brute_force_after_adds_and_removals()
    {
        using var index = new ExactGalleryIndex();
        var all = new List<(string Subject, NewFace Face)>();
        for (var subject = 0; subject < 40; subject++)
        for (var face = 0; face < 3; face++)
        {
            var newFace = new NewFace(Guid.NewGuid(), _data.Embedding(), null);
            index.Add($"s{subject:D2}", [newFace]);
            all.Add(($"s{subject:D2}", newFace));
        }
        // Remove from the middle and the end of the block, and a whole subject, so rows get swapped around.
        foreach (var removed in new[] { all[5], all[60], all[^1] })
        {
            index.RemoveFace(removed.Face.FaceId);
            all.Remove(removed);
        }
        index.RemoveSubject("s07");
        all.RemoveAll(f => f.Subject == "s07");

        var probe = _data.Embedding();
        var expected = all
            .GroupBy(f => f.Subject)
            .Select(g => g.Select(f => (g.Key, f.Face.FaceId, Similarity: probe.CosineSimilarity(f.Face.Embedding)))
                .MaxBy(f => f.Similarity))
            .OrderByDescending(m => m.Similarity)
            .Take(10)
            .ToArray();

        var matches = index.Search(probe, topK: 10);

        Assert.Equal(expected.Select(e => e.Key), matches.Select(m => m.SubjectId));
        Assert.Equal(expected.Select(e => e.FaceId), matches.Select(m => m.FaceId));
        Assert.Equal(all.Count, index.FaceCount);
        Assert.Equal(39, index.SubjectCount);
    }

    [Fact]
    public void A_new_subject_taking_a_deleted_subjects_place_is_reported_under_its_own_id()
    {
        using var index = new ExactGalleryIndex();
        var carol = _data.Embedding();
        index.Add("alice", [new NewFace(Guid.NewGuid(), _data.Embedding(), null)]);
        index.Add("bob", [new NewFace(Guid.NewGuid(), _data.Embedding(), null)]);
        index.RemoveSubject("alice");
        var carolFace = new NewFace(Guid.NewGuid(), carol, null);
        index.Add("carol", [carolFace]);

        var matches = index.Search(carol, topK: 5);

        Assert.Equal(["carol", "bob"], matches.Select(m => m.SubjectId));
        Assert.Equal(carolFace.FaceId, matches[0].FaceId);
        Assert.False(index.ContainsSubject("alice"));
    }

    [Fact]
    public void A_probe_is_scored_only_against_its_own_model()
    {
        using var index = new ExactGalleryIndex();
        var shared = _data.RandomVector();
        index.Add("alice", [new NewFace(Guid.NewGuid(), ModelEmbedding.Normalize(GalleryTestData.ModelA, shared), null)]);

        var probeOfOtherModel = ModelEmbedding.Normalize(GalleryTestData.ModelB, shared);

        Assert.Empty(index.Search(probeOfOtherModel, topK: 5));
        Assert.Null(index.BestFaceOf("alice", probeOfOtherModel));
        Assert.Equal([GalleryTestData.ModelA], index.ModelIdsOf("alice"));
        Assert.Equal([GalleryTestData.ModelA], index.ModelIds);
    }

    [Fact]
    public void A_probe_of_another_dimension_is_refused()
    {
        using var index = new ExactGalleryIndex();
        index.Add("alice", [new NewFace(Guid.NewGuid(), _data.Embedding(dimension: 128), null)]);

        Assert.Throws<ArgumentException>(() => index.Search(_data.Embedding(dimension: 64), topK: 1));
    }

    [Fact]
    public void Removing_the_last_face_of_a_subject_forgets_the_subject()
    {
        using var index = new ExactGalleryIndex();
        var face = new NewFace(Guid.NewGuid(), _data.Embedding(), null);
        index.Add("alice", [face]);

        index.RemoveFace(face.FaceId);

        Assert.False(index.ContainsSubject("alice"));
        Assert.Empty(index.Search(face.Embedding, topK: 1));
        Assert.Empty(index.ModelIds);
    }

    [Fact]
    public void Rebuild_replaces_the_content()
    {
        using var index = new ExactGalleryIndex();
        index.Add("old", [new NewFace(Guid.NewGuid(), _data.Embedding(), null)]);
        var stored = new StoredFace(Guid.NewGuid(), "new", _data.Embedding(), null, DateTimeOffset.UnixEpoch);

        index.Rebuild([stored]);

        Assert.False(index.ContainsSubject("old"));
        Assert.Equal(stored.FaceId, index.BestFaceOf("new", stored.Embedding)!.FaceId);
        Assert.Equal(1, index.FaceCount);
    }

    [Fact]
    public async Task Searches_during_concurrent_writes_see_whole_faces_only()
    {
        using var index = new ExactGalleryIndex();
        var probe = _data.Embedding();
        var faces = Enumerable.Range(0, 2000)
            .Select(i => new NewFace(Guid.NewGuid(), i % 2 == 0 ? probe : _data.Embedding(), null)).ToArray();

        var writer = Task.Run(() =>
        {
            foreach (var chunk in faces.Chunk(10))
            {
                index.Add($"s{chunk[0].FaceId}", chunk);
                index.RemoveFace(chunk[1].FaceId);
            }
        });
        var searches = 0;
        while (!writer.IsCompleted)
        {
            foreach (var match in index.Search(probe, topK: 3))
                Assert.Equal(1.0, match.Similarity, 5); // every subject holds a copy of the probe; a torn row would not score 1
            searches++;
        }
        await writer;

        Assert.True(searches > 0);
        Assert.Equal(1800, index.FaceCount);
    }
}
