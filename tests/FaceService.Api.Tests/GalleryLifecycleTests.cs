using System.Net;
using FaceService.Api.Contracts;
using FaceService.Gallery;
using FaceService.Gallery.Sqlite;
using Xunit;
using static FaceService.Api.Tests.Multipart;

namespace FaceService.Api.Tests;

/// <summary>What happens to a gallery over time: restarts, deletions, bulk enrolment, another model.</summary>
public sealed class GalleryLifecycleTests : IDisposable
{
    private readonly string _databasePath = FaceServiceFactory.NewDatabasePath();

    public void Dispose() => FaceServiceFactory.DeleteDatabase(_databasePath);

    [Theory]
    [InlineData("Auto")]
    [InlineData("QuantizedScan")]
    public async Task The_gallery_survives_a_restart_and_deleting_A_makes_A_unknown(string index)
    {
        var settings = new Dictionary<string, string?> { ["Gallery:Index"] = index };
        await using (var first = new FaceServiceFactory(_databasePath, settings))
        {
            using var client = first.CreateAuthorizedClient();
            await ReadOkAsync<EnrollResponse>(await client.PostAsync("/enroll", Form(("subjectId", "person-a"), ("images", Jpeg(TestPhotos.PersonA)))));
        }

        await using var second = new FaceServiceFactory(_databasePath, settings);
        using var restarted = second.CreateAuthorizedClient();

        var before = await ReadOkAsync<IdentifyResponse>(await restarted.PostAsync("/identify", Form(("probe", Jpeg(TestPhotos.PersonASecondView)))));
        Assert.Equal("person-a", before.Faces[0].SubjectId);

        Assert.Equal(HttpStatusCode.NoContent, (await restarted.DeleteAsync("/subjects/person-a")).StatusCode);

        var after = await ReadOkAsync<IdentifyResponse>(await restarted.PostAsync("/identify", Form(("probe", Jpeg(TestPhotos.PersonASecondView)))));
        Assert.True(after.Faces[0].Unknown);
        Assert.Empty(after.Faces[0].Candidates);
        await AssertProblemAsync(await restarted.GetAsync("/subjects/person-a"), HttpStatusCode.NotFound, "subject-not-found");
        await AssertProblemAsync(await restarted.DeleteAsync("/subjects/person-a"), HttpStatusCode.NotFound, "subject-not-found");
    }

    [Theory]
    [InlineData("Gallery:QuantizedScan:RetainedVariance", "0")]
    [InlineData("Gallery:QuantizedScan:Candidates", "0")]
    public async Task A_quantized_scan_setting_out_of_range_stops_the_service_at_start(string key, string value)
    {
        await using var factory = new FaceServiceFactory(_databasePath, new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Gallery:QuantizedScan", error.Message);
    }

    [Fact]
    public async Task Deleting_faces_one_by_one_deletes_the_subject_with_the_last()
    {
        await using var factory = new FaceServiceFactory(_databasePath);
        using var client = factory.CreateAuthorizedClient();
        // Two different faces under one subject id: this test is about the bookkeeping, not about identity.
        var enrolled = await ReadOkAsync<EnrollResponse>(await client.PostAsync("/enroll", Form(
            ("subjectId", "two-faces"), ("images", Jpeg(TestPhotos.PersonA, "first.jpg")), ("images", Jpeg(TestPhotos.PersonB, "second.jpg")))));
        Assert.All(enrolled.Faces, f => Assert.True(f.Stored));
        var (first, second) = (enrolled.Faces[0].FaceId, enrolled.Faces[1].FaceId);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/subjects/two-faces/faces/{first}")).StatusCode);
        var remaining = await ReadOkAsync<Subject>(await client.GetAsync("/subjects/two-faces"));
        Assert.Equal([second], remaining.Faces.Select(f => f.FaceId));
        await AssertProblemAsync(await client.DeleteAsync($"/subjects/two-faces/faces/{first}"), HttpStatusCode.NotFound, "face-not-found");

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/subjects/two-faces/faces/{second}")).StatusCode);
        await AssertProblemAsync(await client.GetAsync("/subjects/two-faces"), HttpStatusCode.NotFound, "subject-not-found");
    }

    [Fact]
    public async Task Bulk_enrolment_judges_each_file_and_stores_the_good_ones()
    {
        await using var factory = new FaceServiceFactory(_databasePath);
        using var client = factory.CreateAuthorizedClient();

        var bulk = await ReadOkAsync<BulkEnrollResponse>(await client.PostAsync("/enroll/bulk", Form(
            ("images", Jpeg(TestPhotos.PersonA, "a.jpg")), ("subjectIds", "person-a"),
            ("images", Jpeg(TestPhotos.PersonB, "b.jpg")), ("subjectIds", "person-b"),
            ("images", Png(TestPhotos.NoFace, "wall.png")), ("subjectIds", "nobody"),
            ("images", Jpeg(TestPhotos.PersonA, "a-again.jpg")), ("subjectIds", "person-a"))));

        Assert.Equal((2, 1, 1), (bulk.Enrolled, bulk.Duplicates, bulk.Rejected));
        Assert.Equal(["enrolled", "enrolled", "rejected", "duplicate"], bulk.Items.Select(i => i.Status));
        Assert.Equal("https://faceservice.dev/problems/no-face", bulk.Items[2].Problem!.Type);
        Assert.Equal(bulk.Items[0].Face!.FaceId, bulk.Items[3].Face!.FaceId);
        var page = await ReadOkAsync<Page<SubjectSummary>>(await client.GetAsync("/subjects"));
        Assert.Equal(["person-a", "person-b"], page.Items.Select(s => s.SubjectId));
    }

    [Fact]
    public async Task Bulk_enrolment_needs_one_subject_id_per_image()
    {
        await using var factory = new FaceServiceFactory(_databasePath);
        using var client = factory.CreateAuthorizedClient();

        var response = await client.PostAsync("/enroll/bulk", Form(
            ("images", Jpeg(TestPhotos.PersonA)), ("images", Jpeg(TestPhotos.PersonB)), ("subjectIds", "person-a")));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Comparing_with_embeddings_of_another_model_is_refused()
    {
        // A gallery written while the service ran another embedding model.
        var store = new SqliteGalleryStore(_databasePath);
        await store.EnsureCreatedAsync();
        var otherModel = ModelEmbedding.Normalize("some-other-model", Enumerable.Range(1, 128).Select(i => (float)Math.Sin(i)).ToArray());
        await store.AddFacesAsync([new SubjectFaces("enrolled-elsewhere", null, [new NewFace(Guid.NewGuid(), otherModel, null)])]);

        await using var factory = new FaceServiceFactory(_databasePath);
        using var client = factory.CreateAuthorizedClient();

        var verify = await AssertProblemAsync(await client.PostAsync("/verify", Form(
            ("probe", Jpeg(TestPhotos.PersonA)), ("subjectId", "enrolled-elsewhere"))), HttpStatusCode.Conflict, "model-mismatch");
        await AssertProblemAsync(await client.PostAsync("/identify", Form(("probe", Jpeg(TestPhotos.PersonA)))), HttpStatusCode.Conflict, "model-mismatch");

        Assert.Contains("some-other-model", verify.GetProperty("detail").GetString());
        Assert.Contains(FaceServiceFactory.EmbeddingModelId, verify.GetProperty("detail").GetString());
    }
}
