using System.Collections.Concurrent;
using FaceService.Faces.Imaging;
using FaceService.TestSupport;

namespace FaceService.Pipeline.Tests.Faces;

/// <summary>The face-api package's demo photos, decoded once per test run.</summary>
internal static class DemoImages
{
    private static readonly ConcurrentDictionary<int, RgbImage> Cache = new();

    public static RgbImage Decoded(int sample) =>
        Cache.GetOrAdd(sample, k => ImageDecoder.Decode(
            File.ReadAllBytes(Requires.FaceApiPackageFile($"demo/sample{k}.jpg")), new ImageDecodeOptions()));
}
