using System.Collections.Concurrent;
using System.Text.Json;
using FaceService.TestSupport;

namespace FaceService.Nets.Tests;

/// <summary>The golden face-api JSON files, each parsed once per test run (they are up to 1.2 MB).</summary>
internal static class Golden
{
    private static readonly ConcurrentDictionary<string, Lazy<JsonDocument>> Documents = new();

    public static JsonElement Load(string fileName) =>
        Documents.GetOrAdd(fileName, name => new Lazy<JsonDocument>(
            () => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestPaths.GoldenDir, name))))).Value.RootElement;

    public static float[] Floats(this JsonElement array) => array.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    public static double[] Doubles(this JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    /// <summary>uint8 pixels given as a JSON array of numbers or as base64, widened to float.</summary>
    public static float[] Pixels(this JsonElement data) =>
        data.ValueKind == JsonValueKind.String
            ? Convert.FromBase64String(data.GetString()!).Select(b => (float)b).ToArray()
            : data.Floats();

    public static double MaxAbsDiff(IReadOnlyList<float> actual, IReadOnlyList<double> expected)
    {
        if (actual.Count != expected.Count)
            throw new ArgumentException($"lengths differ: {actual.Count} vs {expected.Count}");
        return actual.Select((a, i) => Math.Abs(a - expected[i])).Max();
    }
}
