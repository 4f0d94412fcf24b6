using System.Security.Cryptography;
using System.Text.Json;
using FaceService.Faces.Imaging;
using FaceService.Nets.Acquisition;
using FaceService.Nets.Detector;
using FaceService.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace FaceService.Nets.Tests;

/// <summary>
/// The SSD MobileNetV1 in TorchSharp and in ONNX against face-api's own <c>forwardInput</c>
/// (tests/reference/ssd-mobilenetv1/reference.json, made by the scripts next to it from the same decoded pixels).
/// </summary>
public sealed class SsdParityTests(ITestOutputHelper output)
{
    // The inputs are the same pixels and the same legacy-bilinear resize, so only float32 summation order differs
    // (tfjs wasm vs libtorch / ONNX Runtime). Boxes are ~0..1 and scores 0..1.
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Cases => new(SsdReference.CaseNames);

    [Theory]
    [MemberData(nameof(Cases))]
    public void TorchSharp_ssd_matches_face_api_forward(string name)
    {
        var (reference, input) = SsdReference.Input(name);
        var actual = Nets.RunTorch(Nets.SsdDetector, input, [1, SsdMobilenetV1.InputSize, SsdMobilenetV1.InputSize, 3]);
        AssertMatches(reference, actual);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_ssd_matches_face_api_forward(string name)
    {
        var (reference, input) = SsdReference.Input(name);
        var actual = Nets.RunOnnx(Requires.Model(FaceApiModelConverter.SsdDetectorFile), input, [1, SsdMobilenetV1.InputSize, SsdMobilenetV1.InputSize, 3]);
        AssertMatches(reference, actual);
    }

    private void AssertMatches(JsonElement reference, float[] actual)
    {
        Assert.Equal(SsdMobilenetV1.AnchorCount * SsdMobilenetV1.ValuesPerAnchor, actual.Length);
        var maxDiff = 0.0;
        foreach (var anchor in reference.GetProperty("sampledAnchors").EnumerateArray())
        {
            var index = anchor.GetProperty("index").GetInt32();
            var expected = anchor.GetProperty("values").Floats();
            for (var k = 0; k < SsdMobilenetV1.ValuesPerAnchor; k++)
                maxDiff = Math.Max(maxDiff, Math.Abs(actual[index * SsdMobilenetV1.ValuesPerAnchor + k] - expected[k]));
        }
        // Whole-tensor check: each column's mean over all anchors.
        var columns = reference.GetProperty("outputColumnStats").EnumerateArray().ToArray();
        var maxMeanDiff = 0.0;
        for (var k = 0; k < SsdMobilenetV1.ValuesPerAnchor; k++)
        {
            var sum = 0.0;
            for (var a = 0; a < SsdMobilenetV1.AnchorCount; a++)
                sum += actual[a * SsdMobilenetV1.ValuesPerAnchor + k];
            maxMeanDiff = Math.Max(maxMeanDiff, Math.Abs(sum - columns[k].GetProperty("sum").GetDouble()) / SsdMobilenetV1.AnchorCount);
        }
        output.WriteLine($"{reference.GetProperty("name").GetString()}: max |diff| {maxDiff:E2} on the sampled anchors, max |column mean diff| {maxMeanDiff:E2}");
        Assert.InRange(maxDiff, 0, Tolerance);
        Assert.InRange(maxMeanDiff, 0, Tolerance / 10);
    }
}

/// <summary>The committed SSD reference and the exact net inputs it was computed from.</summary>
internal static class SsdReference
{
    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllBytes(SsdReferenceFile.Path)));

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<string> CaseNames => Root.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!);

    public static JsonElement Case(string name) =>
        Root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>The reference case and its 512x512 net input, checked to come from the same pixels.</summary>
    public static (JsonElement Reference, float[] Input) Input(string name)
    {
        var reference = Case(name);
        var image = Image(name);
        Assert.Equal(reference.GetProperty("rgbSha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(image.Pixels)));
        var input = TfLegacyBilinear.Resize(image, PaddedCanvas.SquareBottomRight(image), SsdMobilenetV1.InputSize, SsdMobilenetV1.InputSize);
        var expectedSum = reference.GetProperty("netInputStats").GetProperty("sum").GetDouble();
        Assert.InRange(Math.Abs(input.Sum(v => (double)v) - expectedSum), 0, 1e-6 * expectedSum);
        return (reference, input);
    }

    /// <summary>The demo photos as the service decodes them, or the synthetic pattern make-reference.cjs draws.</summary>
    private static RgbImage Image(string name)
    {
        if (SsdReferenceFile.DemoSample(name) is { } sample)
            return ImageDecoder.Decode(File.ReadAllBytes(Requires.FaceApiPackageFile($"demo/sample{sample}.jpg")), new ImageDecodeOptions());
        var (width, height, pixels) = SsdReferenceFile.Synthetic(name);
        return new RgbImage(width, height, pixels);
    }
}
