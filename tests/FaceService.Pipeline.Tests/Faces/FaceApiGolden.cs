using System.Collections.Concurrent;
using System.Text.Json;
using FaceService.Faces;
using FaceService.TestSupport;

namespace FaceService.Pipeline.Tests.Faces;

/// <summary>Reads ../shared/golden/face-api (see its README); callers have called Requires.Shared().</summary>
internal static class FaceApiGolden
{
    private static readonly ConcurrentDictionary<string, JsonElement> Cache = new();

    public static JsonElement Load(string fileName) =>
        Cache.GetOrAdd(fileName, name =>
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestPaths.GoldenDir, name)));
            return document.RootElement.Clone();
        });

    public static JsonElement Detect(int sample) => Load($"detect_sample{sample}.json");

    public static double[] Doubles(this JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static float[] Floats(this JsonElement array) => array.EnumerateArray().Select(e => e.GetSingle()).ToArray();

    public static FaceBox Box(this JsonElement boxPx)
    {
        var v = boxPx.Doubles();
        return new FaceBox(v[0], v[1], v[2], v[3]);
    }

    /// <summary>[[x,y],…] or [{x,y},…] → points.</summary>
    public static Point2[] Points(this JsonElement array) =>
        array.EnumerateArray().Select(p => p.ValueKind == JsonValueKind.Array
            ? new Point2(p[0].GetDouble(), p[1].GetDouble())
            : new Point2(p.GetProperty("x").GetDouble(), p.GetProperty("y").GetDouble())).ToArray();

    /// <summary>The recorded detector output is NHWC [1,g,g,25]; the ONNX contract (and the decoder) is NCHW.</summary>
    public static float[] NhwcToNchw(float[] nhwc, int grid, int channels)
    {
        var nchw = new float[nhwc.Length];
        for (var y = 0; y < grid; y++)
        for (var x = 0; x < grid; x++)
        for (var c = 0; c < channels; c++)
            nchw[(c * grid + y) * grid + x] = nhwc[(y * grid + x) * channels + c];
        return nchw;
    }
}
