using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace FaceService.Api.Tests;

/// <summary>Builds multipart requests as curl -F would, and checks problem responses.</summary>
public static class Multipart
{
    public static MultipartFormDataContent Form(params (string Name, object Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            switch (value)
            {
                case FilePart file:
                    var content = new ByteArrayContent(file.Bytes);
                    content.Headers.ContentType = new MediaTypeHeaderValue(file.ContentType);
                    form.Add(content, name, file.FileName);
                    break;
                default:
                    form.Add(new StringContent(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!), name);
                    break;
            }
        }
        return form;
    }

    public static FilePart Jpeg(byte[] bytes, string fileName = "photo.jpg") => new(bytes, fileName, "image/jpeg");

    public static FilePart Png(byte[] bytes, string fileName = "face.png") => new(bytes, fileName, "image/png");

    public static FilePart File(byte[] bytes, string fileName, string contentType = "application/octet-stream") => new(bytes, fileName, contentType);

    public static async Task<T> ReadOkAsync<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, JsonOptions)!;
    }

    /// <summary>Asserts an RFC 9457 answer: the status, the problem media type, and the service's stable type URI.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string problemSlug)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal($"https://faceservice.dev/problems/{problemSlug}", problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        return problem;
    }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}

public sealed record FilePart(byte[] Bytes, string FileName, string ContentType);
