using System.Net.Http.Headers;
using System.Text.Json;

namespace FaceService.Benchmarks.LoadTest;

/// <summary>
/// <c>load --url http://127.0.0.1:PORT --label NAME [--concurrency 1,4,16] [--seconds 10] [--max-requests 5000]</c>,
/// API key in FACESERVICE_API_KEY. Enrols the demo subjects, then loads /verify and /identify with aligned 24 px crops
/// and with full photos at each concurrency, and appends the results to benchmarks/results/load/NAME.json.
/// Only loopback URLs are accepted: this is a load generator.
/// </summary>
public static class LoadCommand
{
    private static readonly string[] Scenarios = ["verify-crop", "verify-photo", "identify-crop", "identify-photo"];

    public static async Task<int> RunAsync(string[] args)
    {
        var url = new Uri(RecallCommand.Option(args, "--url") ?? throw new ArgumentException("--url is required"));
        if (!url.IsLoopback)
            throw new ArgumentException($"{url} is not a loopback address; the load test only targets a local service.");
        var label = RecallCommand.Option(args, "--label") ?? "service";
        var levels = (RecallCommand.Option(args, "--concurrency") ?? "1,4,16").Split(',').Select(int.Parse).ToArray();
        var duration = TimeSpan.FromSeconds(double.Parse(RecallCommand.Option(args, "--seconds") ?? "10"));
        var maxRequests = int.Parse(RecallCommand.Option(args, "--max-requests") ?? "5000");
        var scenarios = RecallCommand.Option(args, "--scenarios")?.Split(',') ?? Scenarios;
        var key = Environment.GetEnvironmentVariable("FACESERVICE_API_KEY") ?? throw new ArgumentException("FACESERVICE_API_KEY is not set");

        var subjects = LoadInputs.FromDemoPhotos();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = levels.Max() })
        {
            BaseAddress = url,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        await EnrollAsync(client, subjects);

        var results = new List<LoadResult>();
        foreach (var scenario in scenarios)
        {
            var request = RequestFactory(scenario, subjects);
            // Warm-up, not counted: JIT, connection pool, ONNX Runtime's first runs.
            await LoadClient.RunAsync(client, label, scenario, request, levels.Max(), TimeSpan.FromSeconds(2), levels.Max() * 4);
            foreach (var concurrency in levels)
            {
                var result = await LoadClient.RunAsync(client, label, scenario, request, concurrency, duration, maxRequests);
                Console.WriteLine($"{label} {scenario} c={concurrency}: {result.RequestsPerSecond:F1} req/s, p50 {result.P50Ms:F1} ms, " +
                                  $"p95 {result.P95Ms:F1} ms, p99 {result.P99Ms:F1} ms, {result.Errors} errors of {result.Requests}");
                results.Add(result);
            }
        }

        var folder = Path.Combine(RepoPaths.Results, RecallCommand.Option(args, "--results-folder") ?? "load");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{label}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"load: wrote {path}");
        return results.Any(r => r.Errors > 0) ? 1 : 0;
    }

    private static async Task EnrollAsync(HttpClient client, IReadOnlyList<LoadSubject> subjects)
    {
        foreach (var subject in subjects)
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(subject.SubjectId), "subjectId" },
                { Image(subject.PhotoJpeg, "image/jpeg"), "images", "photo.jpg" },
                { new StringContent("true"), "largestFace" },
            };
            using var response = await client.PostAsync("/enroll", form);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"Enrolling {subject.SubjectId} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static Func<int, HttpRequestMessage> RequestFactory(string scenario, IReadOnlyList<LoadSubject> subjects) => n =>
    {
        var subject = subjects[n % subjects.Count];
        var (endpoint, input) = scenario.Split('-') switch
        {
            [var e, "crop"] => (e, Image(subject.CropPng, "image/png")),
            [var e, "photo"] => (e, Image(subject.PhotoJpeg, "image/jpeg")),
            _ => throw new ArgumentException($"Unknown scenario {scenario}; one of {string.Join(", ", Scenarios)}."),
        };
        var form = new MultipartFormDataContent { { input, "probe", "probe" } };
        if (endpoint == "verify")
            form.Add(new StringContent(subject.SubjectId), "subjectId");
        else if (endpoint != "identify")
            throw new ArgumentException($"Unknown scenario {scenario}; one of {string.Join(", ", Scenarios)}.");
        return new HttpRequestMessage(HttpMethod.Post, "/" + endpoint) { Content = form };
    };

    private static ByteArrayContent Image(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }
}
