using FaceService.Embeddings;
using FaceService.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace FaceService.Api.Tests;

/// <summary>
/// The real service over the real ONNX models, with its own SQLite file and API key. Settings go in as host settings,
/// which override appsettings.json the way environment variables would in production.
/// </summary>
public sealed class FaceServiceFactory(string databasePath, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-key-7f3a9c";

    /// <summary>The general embedding model the service ships with (appsettings.json), which these tests run.</summary>
    public static string EmbeddingModelPath => Requires.Model("student-lowres-112-v3-int8.onnx");

    /// <summary>The low-resolution expert the service routes small faces to (appsettings.json).</summary>
    public static string LowResolutionModelPath => Requires.Model("student-lowres-112-v4-lr-int8.onnx");

    /// <summary>The general model's own id, from its card: what faces carry with routing switched off.</summary>
    public static string SingleModelId => ModelId(EmbeddingModelPath);

    /// <summary>The shipped pair's id: the id every response and stored face carries.</summary>
    public static string EmbeddingModelId =>
        ResolutionRoutedEmbedder.PairId(SingleModelId, ModelId(LowResolutionModelPath), new EmbedderOptions().LowResolutionBelowPixels);

    private static string ModelId(string modelPath) => EmbeddingModelCard.Load(EmbeddingModelCard.PathFor(modelPath)).Id;

    public string DatabasePath { get; } = databasePath;

    /// <summary>A database path in a folder of its own under the temp directory.</summary>
    public static string NewDatabasePath() =>
        Path.Combine(Path.GetTempPath(), "faceservice-api-tests", Guid.NewGuid().ToString("N"), "gallery.db");

    /// <summary>A client that sends the API key.</summary>
    public HttpClient CreateAuthorizedClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var defaults = new Dictionary<string, string?>
        {
            ["Embedder:ModelPath"] = EmbeddingModelPath,
            ["Embedder:LowResolutionModelPath"] = LowResolutionModelPath,
            ["Faces:Detector:ModelPath"] = Requires.Model("face-detector.onnx"),
            ["Faces:Landmarks:ModelPath"] = Requires.Model("face-landmarks68.onnx"),
            ["Gallery:DatabasePath"] = DatabasePath,
            ["Auth:ApiKeys:0"] = ApiKey,
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        // A null value removes a default, e.g. the API key.
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            if (value is null)
                defaults.Remove(key);
            else
                defaults[key] = value;
        foreach (var (key, value) in defaults)
            builder.UseSetting(key, value);
    }

    /// <summary>Deletes the database folder once nothing holds the file open.</summary>
    public static void DeleteDatabase(string databasePath)
    {
        SqliteConnection.ClearAllPools();
        var folder = Path.GetDirectoryName(databasePath)!;
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }
}
