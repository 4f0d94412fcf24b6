using System.Net;
using System.Net.Http.Json;
using System.Text;
using FaceService.Api.Contracts;
using Xunit;
using static FaceService.Api.Tests.Multipart;

namespace FaceService.Api.Tests;

/// <summary>A service with small limits so that oversized input is cheap to make: 2 MB per request, 1 Mpx per image.</summary>
public sealed class SmallLimitsFixture : IAsyncLifetime
{
    public const long MaxRequestBytes = 2 * 1024 * 1024;
    public const long MaxPixels = 1_000_000;

    public FaceServiceFactory Factory { get; } = new(FaceServiceFactory.NewDatabasePath(), new Dictionary<string, string?>
    {
        ["Uploads:MaxRequestBytes"] = MaxRequestBytes.ToString(),
        ["Faces:Decode:MaxPixels"] = MaxPixels.ToString(),
    });

    public HttpClient Client { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Client = Factory.CreateAuthorizedClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        FaceServiceFactory.DeleteDatabase(Factory.DatabasePath);
    }
}

/// <summary>Every bad input gets its 4xx ProblemDetails with a stable type; none gets a 5xx.</summary>
public sealed class BadInputTests(SmallLimitsFixture service) : IClassFixture<SmallLimitsFixture>
{
    private readonly HttpClient _client = service.Client;

    public static TheoryData<string, string> ImageEndpoints => new()
    {
        { "/enroll", "images" },
        { "/verify", "probe" },
        { "/identify", "probe" },
        { "/detect", "image" },
    };

    /// <summary>The other fields each endpoint needs, so that only the image is wrong.</summary>
    private static (string, object)[] With(string endpoint, string imageField, FilePart image) => endpoint switch
    {
        "/enroll" => [("subjectId", "someone"), (imageField, image)],
        "/verify" => [("subjectId", "someone"), (imageField, image)],
        _ => [(imageField, image)],
    };

    [Theory]
    [MemberData(nameof(ImageEndpoints))]
    public async Task A_missing_file_is_400_missing_image(string endpoint, string imageField)
    {
        var fields = endpoint is "/enroll" or "/verify" ? new (string, object)[] { ("subjectId", "someone") } : [("note", "no file")];

        var problem = await AssertProblemAsync(await _client.PostAsync(endpoint, Form(fields)), HttpStatusCode.BadRequest, "missing-image");

        Assert.Contains(imageField, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [MemberData(nameof(ImageEndpoints))]
    public async Task An_empty_file_is_400_empty_image(string endpoint, string imageField) =>
        await AssertProblemAsync(await _client.PostAsync(endpoint, Form(With(endpoint, imageField, Jpeg([], "empty.jpg")))),
            HttpStatusCode.BadRequest, "empty-image");

    [Theory]
    [MemberData(nameof(ImageEndpoints))]
    public async Task A_file_that_is_not_an_image_is_415_unsupported_image(string endpoint, string imageField) =>
        await AssertProblemAsync(await _client.PostAsync(endpoint, Form(With(endpoint, imageField,
                File(Encoding.UTF8.GetBytes("name,age\nalice,30\n"), "people.csv", "text/csv")))),
            HttpStatusCode.UnsupportedMediaType, "unsupported-image");

    [Theory]
    [MemberData(nameof(ImageEndpoints))]
    public async Task A_truncated_jpeg_is_422_corrupt_image(string endpoint, string imageField)
    {
        var whole = TestPhotos.PersonA;
        var truncated = whole[..(whole.Length / 2)];

        var problem = await AssertProblemAsync(await _client.PostAsync(endpoint, Form(With(endpoint, imageField, Jpeg(truncated, "cut.jpg")))),
            HttpStatusCode.UnprocessableEntity, "corrupt-image");

        Assert.Contains("cut.jpg", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_image_in_an_unsupported_format_is_415_unsupported_image()
    {
        // A JPEG 2000 file: a real image format, but not one the decoder reads.
        byte[] jpeg2000 = [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A, 0x00, 0x00, 0x00, 0x14, 0x66, 0x74, 0x79, 0x70, 0x6A, 0x70, 0x32, 0x20];

        await AssertProblemAsync(await _client.PostAsync("/identify", Form(("probe", File(jpeg2000, "photo.jp2", "image/jp2")))),
            HttpStatusCode.UnsupportedMediaType, "unsupported-image");
    }

    [Fact]
    public async Task An_image_over_the_pixel_limit_is_413_too_many_pixels()
    {
        var large = TestPhotos.Png(1200, 1000, (x, y) => new SixLabors.ImageSharp.PixelFormats.Rgb24(40, 80, 120)); // 1.2 Mpx

        var problem = await AssertProblemAsync(await _client.PostAsync("/identify", Form(("probe", Png(large, "large.png")))),
            HttpStatusCode.RequestEntityTooLarge, "too-many-pixels");

        Assert.Contains(SmallLimitsFixture.MaxPixels.ToString(), problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_request_over_the_size_limit_is_413_request_too_large()
    {
        var tooBig = new byte[SmallLimitsFixture.MaxRequestBytes + 1];

        await AssertProblemAsync(await _client.PostAsync("/enroll", Form(("subjectId", "someone"), ("images", Jpeg(tooBig)))),
            HttpStatusCode.RequestEntityTooLarge, "request-too-large");
    }

    [Fact]
    public async Task An_unknown_subject_is_404_subject_not_found()
    {
        await AssertProblemAsync(await _client.PostAsync("/verify", Form(("probe", Jpeg(TestPhotos.PersonA)), ("subjectId", "nobody"))),
            HttpStatusCode.NotFound, "subject-not-found");
        await AssertProblemAsync(await _client.GetAsync("/subjects/nobody"), HttpStatusCode.NotFound, "subject-not-found");
        await AssertProblemAsync(await _client.DeleteAsync("/subjects/nobody"), HttpStatusCode.NotFound, "subject-not-found");
        await AssertProblemAsync(await _client.DeleteAsync($"/subjects/nobody/faces/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "face-not-found");
    }

    [Theory]
    [InlineData("/enroll")]
    [InlineData("/verify")]
    [InlineData("/identify")]
    public async Task A_photo_without_a_face_is_422_no_face(string endpoint)
    {
        var image = Png(TestPhotos.NoFace, "gradient.png");
        var fields = endpoint switch
        {
            "/enroll" => Form(("subjectId", "someone"), ("images", image)),
            "/verify" => Form(("probe", image), ("reference", Jpeg(TestPhotos.PersonA))),
            _ => Form(("probe", image)),
        };

        var problem = await AssertProblemAsync(await _client.PostAsync(endpoint, fields), HttpStatusCode.UnprocessableEntity, "no-face");

        Assert.Contains("gradient.png", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(1, 1, HttpStatusCode.OK)]          // a one-pixel "crop": embedded, and simply matches nobody
    [InlineData(3, 900, HttpStatusCode.UnprocessableEntity)]
    [InlineData(900, 3, HttpStatusCode.UnprocessableEntity)]
    public async Task Images_of_odd_shapes_are_answered_without_a_server_error(int width, int height, HttpStatusCode expected)
    {
        var image = TestPhotos.Png(width, height, (x, y) => new SixLabors.ImageSharp.PixelFormats.Rgb24((byte)x, (byte)y, 90));

        var response = await _client.PostAsync("/identify", Form(("probe", Png(image))));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Detect_on_a_photo_without_a_face_is_an_empty_list()
    {
        var answer = await ReadOkAsync<DetectResponse>(await _client.PostAsync("/detect", Form(("image", Png(TestPhotos.NoFace)))));

        Assert.Empty(answer.Faces);
    }

    [Fact]
    public async Task A_missing_key_is_401_missing_api_key()
    {
        using var anonymous = service.Factory.CreateClient();

        var response = await anonymous.PostAsync("/identify", Form(("probe", Jpeg(TestPhotos.PersonA))));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "missing-api-key");
        Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString());
        await AssertProblemAsync(await anonymous.GetAsync("/subjects"), HttpStatusCode.Unauthorized, "missing-api-key");
    }

    [Fact]
    public async Task A_wrong_key_is_401_invalid_api_key()
    {
        using var wrong = service.Factory.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", FaceServiceFactory.ApiKey + "x");

        await AssertProblemAsync(await wrong.PostAsync("/identify", Form(("probe", Jpeg(TestPhotos.PersonA)))),
            HttpStatusCode.Unauthorized, "invalid-api-key");
    }

    [Theory]
    [InlineData("topK", "0")]
    [InlineData("topK", "many")]
    [InlineData("threshold", "1.5")]
    [InlineData("mode", "fast")]
    [InlineData("allFaces", "sometimes")]
    public async Task An_invalid_identify_field_is_400_validation(string field, string value)
    {
        var problem = await AssertProblemAsync(await _client.PostAsync("/identify", Form(("probe", Jpeg(TestPhotos.PersonA)), (field, value))),
            HttpStatusCode.BadRequest, "validation");

        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_value_that_does_not_parse_is_named_with_what_to_send()
    {
        var problem = await AssertProblemAsync(await _client.PostAsync("/identify", Form(("probe", Jpeg(TestPhotos.PersonA)), ("topK", "many"))),
            HttpStatusCode.BadRequest, "validation");

        Assert.Equal("'topK' cannot be \"many\": send a whole number.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    public async Task An_invalid_subject_id_is_400_validation(string subjectId)
    {
        await AssertProblemAsync(await _client.PostAsync("/enroll", Form(("subjectId", subjectId), ("images", Jpeg(TestPhotos.PersonA)))),
            HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Verify_needs_exactly_one_of_subject_and_reference()
    {
        await AssertProblemAsync(await _client.PostAsync("/verify", Form(("probe", Jpeg(TestPhotos.PersonA)))), HttpStatusCode.BadRequest, "validation");
        await AssertProblemAsync(await _client.PostAsync("/verify", Form(
            ("probe", Jpeg(TestPhotos.PersonA)), ("subjectId", "someone"), ("reference", Jpeg(TestPhotos.PersonB)))), HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Metadata_that_is_not_a_json_object_of_strings_is_400_validation()
    {
        await AssertProblemAsync(await _client.PostAsync("/enroll", Form(
            ("subjectId", "someone"), ("images", Jpeg(TestPhotos.PersonA)), ("metadata", "{\"age\": 30}"))), HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task A_json_body_instead_of_a_form_is_415_unsupported_media_type()
    {
        await AssertProblemAsync(await _client.PostAsJsonAsync("/identify", new { probe = "base64..." }),
            HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task Paging_out_of_range_is_400_validation()
    {
        await AssertProblemAsync(await _client.GetAsync("/subjects?pageSize=0"), HttpStatusCode.BadRequest, "validation");
        await AssertProblemAsync(await _client.GetAsync("/subjects?pageIndex=-1"), HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Unknown_routes_and_methods_are_problem_details_too()
    {
        await AssertProblemAsync(await _client.GetAsync("/no-such-route"), HttpStatusCode.NotFound, "not-found");
        await AssertProblemAsync(await _client.GetAsync("/enroll"), HttpStatusCode.MethodNotAllowed, "method-not-allowed");
    }
}
