using System.Net;
using FaceService.Api.Contracts;
using FaceService.Faces;
using FaceService.Gallery;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static FaceService.Api.Tests.Multipart;

namespace FaceService.Api.Tests;

/// <summary>A service with person A enrolled from one photo; person B is never enrolled.</summary>
public sealed class EnrolledGalleryFixture : IAsyncLifetime
{
    public const string SubjectA = "person-a";

    public FaceServiceFactory Factory { get; } = new(FaceServiceFactory.NewDatabasePath());

    public HttpClient Client { get; private set; } = null!;

    public EnrollResponse EnrolledA { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Client = Factory.CreateAuthorizedClient();
        var response = await Client.PostAsync("/enroll", Form(
            ("subjectId", SubjectA), ("images", Jpeg(TestPhotos.PersonA, "a-1.jpg")), ("metadata", """{"name":"Person A"}""")));
        EnrolledA = await ReadOkAsync<EnrollResponse>(response);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        FaceServiceFactory.DeleteDatabase(Factory.DatabasePath);
    }
}

public sealed class RecognitionTests(EnrolledGalleryFixture gallery) : IClassFixture<EnrolledGalleryFixture>
{
    private readonly HttpClient _client = gallery.Client;

    [Fact]
    public void Enroll_returns_the_face_id_box_quality_and_model_id()
    {
        var enrolled = gallery.EnrolledA;
        var face = Assert.Single(enrolled.Faces);

        Assert.Equal(EnrolledGalleryFixture.SubjectA, enrolled.SubjectId);
        Assert.Equal(FaceServiceFactory.EmbeddingModelId, enrolled.ModelId);
        Assert.True(face.Stored);
        Assert.NotEqual(Guid.Empty, face.FaceId);
        Assert.Equal("a-1.jpg", face.FileName);
        Assert.False(face.Face.IsCrop);
        Assert.InRange(face.Face.Box.Width, 150, 500); // her face is about 270 px wide in the original
        Assert.InRange(face.Face.Quality.InterEyeDistance!.Value, 40, 200);
        Assert.InRange(face.Face.Quality.DetectorScore!.Value, 0.5, 1);
    }

    [Fact]
    public async Task Verify_A_second_photo_against_A_is_a_match()
    {
        var verdict = await ReadOkAsync<VerifyResponse>(await _client.PostAsync("/verify", Form(
            ("probe", Jpeg(TestPhotos.PersonASecondView)), ("subjectId", EnrolledGalleryFixture.SubjectA))));

        Assert.True(verdict.Match, $"similarity {verdict.Similarity} below threshold {verdict.Threshold}");
        Assert.Equal(gallery.EnrolledA.Faces[0].FaceId, verdict.MatchedFaceId);
        Assert.True(verdict.Similarity < 0.999, "the second view must not be the enrolled image itself");
        Assert.Equal(gallery.EnrolledA.ModelId, verdict.ModelId);
    }

    [Fact]
    public async Task Verify_a_different_person_against_A_is_no_match()
    {
        var verdict = await ReadOkAsync<VerifyResponse>(await _client.PostAsync("/verify", Form(
            ("probe", Jpeg(TestPhotos.PersonB)), ("subjectId", EnrolledGalleryFixture.SubjectA))));

        Assert.False(verdict.Match, $"similarity {verdict.Similarity} reached threshold {verdict.Threshold}");
    }

    [Fact]
    public async Task Verify_two_images_compares_them_directly()
    {
        var same = await ReadOkAsync<VerifyResponse>(await _client.PostAsync("/verify", Form(
            ("probe", Jpeg(TestPhotos.PersonASecondView)), ("reference", Jpeg(TestPhotos.PersonA)))));
        var different = await ReadOkAsync<VerifyResponse>(await _client.PostAsync("/verify", Form(
            ("probe", Jpeg(TestPhotos.PersonB)), ("reference", Jpeg(TestPhotos.PersonA)))));

        Assert.True(same.Match);
        Assert.NotNull(same.Reference);
        Assert.False(different.Match);
        Assert.True(same.Similarity > different.Similarity);
    }

    [Fact]
    public async Task A_request_threshold_overrides_the_default()
    {
        var strict = await ReadOkAsync<VerifyResponse>(await _client.PostAsync("/verify", Form(
            ("probe", Jpeg(TestPhotos.PersonASecondView)), ("subjectId", EnrolledGalleryFixture.SubjectA), ("threshold", 0.9999))));

        Assert.Equal(0.9999, strict.Threshold);
        Assert.False(strict.Match);
    }

    [Fact]
    public async Task Identify_returns_A_first()
    {
        var answer = await ReadOkAsync<IdentifyResponse>(await _client.PostAsync("/identify", Form(("probe", Jpeg(TestPhotos.PersonASecondView)))));

        var face = Assert.Single(answer.Faces);
        Assert.False(face.Unknown);
        Assert.Equal(EnrolledGalleryFixture.SubjectA, face.SubjectId);
        Assert.Equal(EnrolledGalleryFixture.SubjectA, face.Candidates[0].SubjectId);
    }

    [Fact]
    public async Task Identify_an_aligned_low_resolution_crop_of_A_returns_A_first()
    {
        var model = gallery.Factory.Services.GetRequiredService<FaceService.Embeddings.IFaceEmbedder>().Model;
        var crop = TestPhotos.AlignedCrop(gallery.Factory.Services.GetRequiredService<IFaceAnalyzer>(),
            TestPhotos.PersonASecondView, model.Alignment, model.InputSize, size: 64);

        var answer = await ReadOkAsync<IdentifyResponse>(await _client.PostAsync("/identify", Form(("probe", Png(crop)))));

        var face = Assert.Single(answer.Faces);
        Assert.True(face.Face.IsCrop, "a 64 px image is taken as a crop in mode=auto");
        Assert.Equal(new FaceBox(0, 0, 64, 64), face.Face.Box);
        Assert.Equal(EnrolledGalleryFixture.SubjectA, face.Candidates[0].SubjectId);
    }

    [Fact]
    public async Task Verify_an_aligned_crop_sent_in_crop_mode_against_A_is_a_match()
    {
        var model = gallery.Factory.Services.GetRequiredService<FaceService.Embeddings.IFaceEmbedder>().Model;
        var crop = TestPhotos.AlignedCrop(gallery.Factory.Services.GetRequiredService<IFaceAnalyzer>(),
            TestPhotos.PersonASecondView, model.Alignment, model.InputSize, size: model.InputSize);

        var verdict = await ReadOkAsync<VerifyResponse>(await _client.PostAsync("/verify", Form(
            ("probe", Png(crop)), ("subjectId", EnrolledGalleryFixture.SubjectA), ("mode", "crop"))));

        Assert.True(verdict.Probe.IsCrop);
        Assert.True(verdict.Match, $"similarity {verdict.Similarity} below threshold {verdict.Threshold}");
    }

    [Fact]
    public async Task Identify_a_person_who_was_never_enrolled_is_unknown()
    {
        var answer = await ReadOkAsync<IdentifyResponse>(await _client.PostAsync("/identify", Form(("probe", Jpeg(TestPhotos.PersonB)))));

        var face = Assert.Single(answer.Faces);
        Assert.True(face.Unknown);
        Assert.Null(face.SubjectId);
        Assert.All(face.Candidates, c => Assert.True(c.Similarity < answer.Threshold));
    }

    [Fact]
    public async Task Identify_all_faces_answers_for_every_face_largest_first()
    {
        var answer = await ReadOkAsync<IdentifyResponse>(await _client.PostAsync("/identify", Form(
            ("probe", Jpeg(TestPhotos.GroupOfThree)), ("allFaces", "true"), ("topK", 1))));

        Assert.Equal(3, answer.Faces.Count);
        Assert.All(answer.Faces, f => Assert.True(f.Candidates.Count <= 1));
        var areas = answer.Faces.Select(f => f.Face.Box.Width * f.Face.Box.Height).ToArray();
        Assert.Equal(areas.OrderDescending(), areas);
    }

    [Fact]
    public async Task Enrolling_the_same_photo_again_reports_a_duplicate_and_stores_nothing()
    {
        var again = await ReadOkAsync<EnrollResponse>(await _client.PostAsync("/enroll", Form(
            ("subjectId", EnrolledGalleryFixture.SubjectA), ("images", Jpeg(TestPhotos.PersonA, "a-1-again.jpg")))));

        var face = Assert.Single(again.Faces);
        Assert.False(face.Stored);
        Assert.Equal(gallery.EnrolledA.Faces[0].FaceId, face.FaceId);
        Assert.True(face.DuplicateSimilarity > 0.99);
        var subject = await ReadOkAsync<Subject>(await _client.GetAsync($"/subjects/{EnrolledGalleryFixture.SubjectA}"));
        Assert.Single(subject.Faces);
    }

    [Fact]
    public async Task Enrolling_a_group_photo_is_422_multiple_faces_unless_the_largest_face_is_asked_for()
    {
        await AssertProblemAsync(await _client.PostAsync("/enroll", Form(("subjectId", "group-largest"), ("images", Jpeg(TestPhotos.GroupOfThree)))),
            HttpStatusCode.UnprocessableEntity, "multiple-faces");

        var largest = await ReadOkAsync<EnrollResponse>(await _client.PostAsync("/enroll", Form(
            ("subjectId", "group-largest"), ("images", Jpeg(TestPhotos.GroupOfThree)), ("largestFace", "true"))));
        Assert.True(Assert.Single(largest.Faces).Stored);
    }

    [Fact]
    public async Task Detect_finds_the_three_faces_of_the_group_photo_with_68_landmarks()
    {
        var answer = await ReadOkAsync<DetectResponse>(await _client.PostAsync("/detect", Form(("image", Jpeg(TestPhotos.GroupOfThree)))));

        Assert.Equal((1920, 1280), (answer.Width, answer.Height));
        Assert.Equal(3, answer.Faces.Count);
        Assert.All(answer.Faces, f =>
        {
            Assert.Equal(68, f.Landmarks.Count);
            Assert.All(f.Landmarks, p => Assert.InRange(p.X, f.Face.Box.X - 20, f.Face.Box.X + f.Face.Box.Width + 20));
        });
    }

    [Fact]
    public async Task Subjects_are_listed_and_shown_with_their_metadata_and_model()
    {
        var page = await ReadOkAsync<Page<SubjectSummary>>(await _client.GetAsync("/subjects?pageIndex=0&pageSize=10"));
        var subject = await ReadOkAsync<Subject>(await _client.GetAsync($"/subjects/{EnrolledGalleryFixture.SubjectA}"));

        Assert.Contains(page.Items, s => s.SubjectId == EnrolledGalleryFixture.SubjectA);
        Assert.Equal("Person A", subject.Metadata["name"]);
        Assert.Equal(gallery.EnrolledA.ModelId, Assert.Single(subject.Faces).ModelId);
    }

    [Fact]
    public async Task The_model_endpoint_reports_the_default_operating_point()
    {
        var model = await ReadOkAsync<ModelResponse>(await _client.GetAsync("/model"));

        Assert.Equal(gallery.EnrolledA.ModelId, model.Id);
        Assert.Equal(0.001, model.DefaultTargetFar);
        Assert.Contains(model.OperatingPoints, p => p.TargetFar == 0.001 && p.CosineThreshold == model.DefaultThreshold);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_multipart_field()
    {
        using var anonymous = gallery.Factory.CreateClient();
        using var document = System.Text.Json.JsonDocument.Parse(await anonymous.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = document.RootElement.GetProperty("paths");

        foreach (var (path, fields) in new[]
                 {
                     ("/enroll", new[] { "subjectId", "images", "metadata", "mode", "largestFace" }),
                     ("/enroll/bulk", new[] { "images", "subjectIds", "mode", "largestFace" }),
                     ("/verify", new[] { "probe", "subjectId", "reference", "threshold", "mode" }),
                     ("/identify", new[] { "probe", "topK", "threshold", "allFaces", "mode" }),
                     ("/detect", new[] { "image" }),
                 })
        {
            var properties = paths.GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("content")
                .GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties");
            Assert.Equal(fields, properties.EnumerateObject().Select(p => p.Name));
            Assert.All(properties.EnumerateObject(), p => Assert.False(string.IsNullOrWhiteSpace(p.Value.GetProperty("description").GetString())));
        }
        var subjectId = paths.GetProperty("/enroll").GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties").GetProperty("subjectId");
        Assert.Equal("alice", subjectId.GetProperty("example").GetString());
        Assert.True(document.RootElement.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("ApiKey", out _));
    }

    [Fact]
    public async Task Health_metrics_and_swagger_need_no_key()
    {
        using var anonymous = gallery.Factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal("Healthy", await (await anonymous.GetAsync("/health/ready")).Content.ReadAsStringAsync());
        var metrics = await (await anonymous.GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Contains("faceservice_faces_embedded_total", metrics);
        Assert.Contains("faceservice_gallery_faces", metrics);
        Assert.Contains("endpoint=\"/enroll\"", metrics); // latency histogram per route
        var swagger = await (await anonymous.GetAsync("/swagger/v1/swagger.json")).Content.ReadAsStringAsync();
        Assert.Contains("\"/enroll\"", swagger);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/swagger/index.html")).StatusCode);
    }
}
