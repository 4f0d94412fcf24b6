using FaceService.Gallery;
using FaceService.Gallery.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace FaceService.Pipeline.Tests.Gallery;

public sealed class FaceGalleryTests : IDisposable
{
    private const double DuplicateSimilarity = 0.98;
    private readonly GalleryTestData _data = new(11);
    private readonly string _path = GalleryTestData.TempDatabasePath();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    private async Task<FaceGallery> OpenAsync()
    {
        var gallery = new FaceGallery(new SqliteGalleryStore(_path), new ExactGalleryIndex());
        await gallery.LoadAsync();
        return gallery;
    }

    private static EnrollBatchEntry Entry(string subjectId, params ModelEmbedding[] faces) =>
        new(subjectId, null, faces.Select(f => new FaceToEnroll(f, null)).ToArray());

    [Fact]
    public async Task A_near_duplicate_of_a_stored_face_is_reported_and_not_stored_again()
    {
        using var gallery = await OpenAsync();
        var face = _data.Embedding();
        var stored = (await gallery.EnrollAsync([Entry("alice", face)], DuplicateSimilarity))[0][0];

        var again = (await gallery.EnrollAsync([Entry("alice", _data.NearCopy(face, 0.001), _data.Embedding())], DuplicateSimilarity))[0];

        Assert.True(again[0].IsDuplicate);
        Assert.Equal(stored.FaceId, again[0].FaceId);
        Assert.True(again[0].DuplicateSimilarity >= DuplicateSimilarity);
        Assert.False(again[1].IsDuplicate);
        Assert.Equal(2, gallery.FaceCount);
        Assert.Equal(2, (await gallery.Store.GetSubjectAsync("alice"))!.Faces.Count);
    }

    [Fact]
    public async Task Duplicates_within_one_request_are_stored_once()
    {
        using var gallery = await OpenAsync();
        var face = _data.Embedding();

        var outcomes = (await gallery.EnrollAsync([Entry("alice", face, face)], DuplicateSimilarity))[0];

        Assert.False(outcomes[0].IsDuplicate);
        Assert.True(outcomes[1].IsDuplicate);
        Assert.Equal(outcomes[0].FaceId, outcomes[1].FaceId);
        Assert.Equal(1, gallery.FaceCount);
    }

    [Fact]
    public async Task The_same_face_under_another_subject_is_not_a_duplicate()
    {
        using var gallery = await OpenAsync();
        var face = _data.Embedding();

        var outcomes = await gallery.EnrollAsync([Entry("alice", face), Entry("bob", face)], DuplicateSimilarity);

        Assert.False(outcomes[1][0].IsDuplicate);
        Assert.Equal(2, gallery.SubjectCount);
    }

    [Fact]
    public async Task Identify_is_open_set()
    {
        using var gallery = await OpenAsync();
        var alice = _data.Embedding();
        await gallery.EnrollAsync([Entry("alice", alice), Entry("bob", _data.Embedding())], DuplicateSimilarity);

        var known = gallery.Identify(_data.NearCopy(alice, 0.05), topK: 5, threshold: 0.5);
        var stranger = gallery.Identify(_data.Embedding(), topK: 5, threshold: 0.5);

        Assert.Equal("alice", known.Identified?.SubjectId);
        Assert.Equal(2, known.Candidates.Count);
        Assert.True(stranger.IsUnknown);
        Assert.Equal(2, stranger.Candidates.Count);
    }

    [Fact]
    public async Task Comparing_across_models_is_refused()
    {
        using var gallery = await OpenAsync();
        await gallery.EnrollAsync([Entry("alice", _data.Embedding(GalleryTestData.ModelA))], DuplicateSimilarity);
        var probe = _data.Embedding(GalleryTestData.ModelB);

        var verify = Assert.Throws<ModelMismatchException>(() => gallery.CompareWithSubject("alice", probe));
        var identify = Assert.Throws<ModelMismatchException>(() => gallery.Identify(probe, topK: 1, threshold: 0.5));

        Assert.Equal([GalleryTestData.ModelA], verify.GalleryModelIds);
        Assert.Equal(GalleryTestData.ModelB, identify.ProbeModelId);
        Assert.Null(gallery.CompareWithSubject("nobody", probe));
    }

    [Fact]
    public async Task Deletions_reach_the_index_and_the_file()
    {
        using (var gallery = await OpenAsync())
        {
            var outcomes = await gallery.EnrollAsync([Entry("alice", _data.Embedding(), _data.Embedding()), Entry("bob", _data.Embedding())], DuplicateSimilarity);
            Assert.True(await gallery.DeleteSubjectAsync("bob"));
            Assert.Equal(FaceDeletion.Deleted, await gallery.DeleteFaceAsync("alice", outcomes[0][0].FaceId));
            Assert.Equal(1, gallery.FaceCount);
        }

        using var reopened = await OpenAsync();

        Assert.Equal(1, reopened.FaceCount);
        Assert.Equal(1, reopened.SubjectCount);
        Assert.Null(await reopened.Store.GetSubjectAsync("bob"));
    }

    [Fact]
    public async Task Load_rebuilds_the_index_from_the_file()
    {
        var alice = _data.Embedding();
        using (var gallery = await OpenAsync())
            await gallery.EnrollAsync([Entry("alice", alice)], DuplicateSimilarity);

        using var reopened = await OpenAsync();
        var identification = reopened.Identify(alice, topK: 1, threshold: 0.99);

        Assert.Equal("alice", identification.Identified?.SubjectId);
        Assert.Equal(1.0, identification.Identified!.Similarity, 5);
    }
}
