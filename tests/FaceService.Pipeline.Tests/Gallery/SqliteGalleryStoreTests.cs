using FaceService.Gallery;
using FaceService.Gallery.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace FaceService.Pipeline.Tests.Gallery;

public sealed class SqliteGalleryStoreTests : IAsyncLifetime
{
    private readonly GalleryTestData _data = new(7);
    private readonly string _path = GalleryTestData.TempDatabasePath();
    private SqliteGalleryStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteGalleryStore(_path);
        await _store.EnsureCreatedAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Creates_the_file_and_its_folder_in_WAL_mode()
    {
        Assert.True(File.Exists(_path));
        await using var connection = new SqliteConnection($"Data Source={_path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Faces_come_back_with_their_subject_model_and_exact_vector_in_a_new_store_on_the_same_file()
    {
        var a = new NewFace(Guid.NewGuid(), _data.Embedding(GalleryTestData.ModelA), "a.jpg");
        var b = new NewFace(Guid.NewGuid(), _data.Embedding(GalleryTestData.ModelB, dimension: 64), null);
        await _store.AddFacesAsync([new SubjectFaces("alice", null, [a]), new SubjectFaces("bob", null, [b])]);

        var reopened = new SqliteGalleryStore(_path);
        await reopened.EnsureCreatedAsync();
        var loaded = await reopened.LoadAllFacesAsync().ToListAsync();

        Assert.Equal(2, loaded.Count);
        var loadedA = loaded.Single(f => f.FaceId == a.FaceId);
        Assert.Equal(("alice", GalleryTestData.ModelA, "a.jpg"), (loadedA.SubjectId, loadedA.Embedding.ModelId, loadedA.Source));
        Assert.Equal(a.Embedding.Vector, loadedA.Embedding.Vector);
        var loadedB = loaded.Single(f => f.FaceId == b.FaceId);
        Assert.Equal(("bob", GalleryTestData.ModelB, 64), (loadedB.SubjectId, loadedB.Embedding.ModelId, loadedB.Embedding.Dimension));
    }

    [Fact]
    public async Task Metadata_merges_new_keys_over_old_ones()
    {
        await _store.AddFacesAsync([new SubjectFaces("alice", new Dictionary<string, string> { ["name"] = "Alice", ["team"] = "red" },
            [new NewFace(Guid.NewGuid(), _data.Embedding(), null)])]);
        await _store.AddFacesAsync([new SubjectFaces("alice", new Dictionary<string, string> { ["team"] = "blue" },
            [new NewFace(Guid.NewGuid(), _data.Embedding(), null)])]);

        var subject = await _store.GetSubjectAsync("alice");

        Assert.NotNull(subject);
        Assert.Equal(new Dictionary<string, string> { ["name"] = "Alice", ["team"] = "blue" }, subject.Metadata);
        Assert.Equal(2, subject.Faces.Count);
        Assert.All(subject.Faces, f => Assert.Equal(GalleryTestData.ModelA, f.ModelId));
    }

    [Fact]
    public async Task Lists_subjects_in_pages_ordered_by_id()
    {
        foreach (var id in new[] { "carol", "alice", "erin", "bob", "dave" })
            await _store.AddFacesAsync([new SubjectFaces(id, null, [new NewFace(Guid.NewGuid(), _data.Embedding(), null)])]);
        await _store.AddFacesAsync([new SubjectFaces("bob", null, [new NewFace(Guid.NewGuid(), _data.Embedding(), null)])]);

        var first = await _store.ListSubjectsAsync(pageIndex: 0, pageSize: 2);
        var last = await _store.ListSubjectsAsync(pageIndex: 2, pageSize: 2);

        Assert.Equal(5, first.TotalCount);
        Assert.Equal(["alice", "bob"], first.Items.Select(s => s.SubjectId));
        Assert.Equal([1, 2], first.Items.Select(s => s.FaceCount));
        Assert.Equal(["erin"], last.Items.Select(s => s.SubjectId));
    }

    [Fact]
    public async Task Deleting_a_subject_deletes_its_faces()
    {
        await _store.AddFacesAsync([
            new SubjectFaces("alice", null, [new NewFace(Guid.NewGuid(), _data.Embedding(), null), new NewFace(Guid.NewGuid(), _data.Embedding(), null)]),
            new SubjectFaces("bob", null, [new NewFace(Guid.NewGuid(), _data.Embedding(), null)]),
        ]);

        Assert.True(await _store.DeleteSubjectAsync("alice"));
        Assert.False(await _store.DeleteSubjectAsync("alice"));

        Assert.Null(await _store.GetSubjectAsync("alice"));
        Assert.Equal(["bob"], (await _store.LoadAllFacesAsync().ToListAsync()).Select(f => f.SubjectId));
    }

    [Fact]
    public async Task Deleting_the_last_face_deletes_the_subject()
    {
        var first = new NewFace(Guid.NewGuid(), _data.Embedding(), null);
        var second = new NewFace(Guid.NewGuid(), _data.Embedding(), null);
        await _store.AddFacesAsync([new SubjectFaces("alice", null, [first, second])]);

        Assert.Equal(FaceDeletion.NotFound, await _store.DeleteFaceAsync("bob", first.FaceId));
        Assert.Equal(FaceDeletion.Deleted, await _store.DeleteFaceAsync("alice", first.FaceId));
        Assert.Equal(FaceDeletion.DeletedWithSubject, await _store.DeleteFaceAsync("alice", second.FaceId));
        Assert.Null(await _store.GetSubjectAsync("alice"));
    }

    [Fact]
    public async Task A_failed_batch_stores_nothing()
    {
        var face = new NewFace(Guid.NewGuid(), _data.Embedding(), null);
        await _store.AddFacesAsync([new SubjectFaces("alice", null, [face])]);

        // The second entry reuses a face id, which violates the primary key: the first entry must roll back too.
        await Assert.ThrowsAsync<SqliteException>(() => _store.AddFacesAsync([
            new SubjectFaces("bob", null, [new NewFace(Guid.NewGuid(), _data.Embedding(), null)]),
            new SubjectFaces("carol", null, [face]),
        ]));

        Assert.Null(await _store.GetSubjectAsync("bob"));
        Assert.Single(await _store.LoadAllFacesAsync().ToListAsync());
    }
}
