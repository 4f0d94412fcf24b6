using System.Text.Json;
using FaceService.Faces;
using FaceService.Faces.Detection;
using FaceService.Faces.Imaging;
using FaceService.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace FaceService.Pipeline.Tests.Faces;

/// <summary>
/// The SSD detector end to end against face-api's own <c>locateFaces</c> on the same pixels
/// (tests/reference/ssd-mobilenetv1/reference.json; its README says how it was made).
/// </summary>
public sealed class SsdDetectorTests(ITestOutputHelper output)
{
    private static readonly Lazy<JsonDocument> Reference = new(() => JsonDocument.Parse(File.ReadAllBytes(SsdReferenceFile.Path)));

    public static TheoryData<string, double, int> Passes => new()
    {
        { "detections", 0.5, 100 },
        { "detectionsMinConfidence01", 0.1, 100 },
        { "detectionsMinConfidence01MaxResults3", 0.1, 3 },
    };

    [Theory]
    [MemberData(nameof(Passes))]
    public void Boxes_match_face_api_within_one_pixel(string field, double minConfidence, int maxResults)
    {
        var model = Requires.Model("face-detector-ssd.onnx");
        using var detector = new SsdMobilenetV1Detector(new SsdMobilenetV1Options { ModelPath = model, MinConfidence = minConfidence, MaxResults = maxResults });
        var faceCount = 0;
        foreach (var reference in Reference.Value.RootElement.GetProperty("cases").EnumerateArray())
        {
            var name = reference.GetProperty("name").GetString()!;
            var expected = reference.GetProperty(field).EnumerateArray()
                .Select(d => (Score: d.GetProperty("score").GetDouble(),
                              Box: new FaceBox(d.GetProperty("x").GetDouble(), d.GetProperty("y").GetDouble(), d.GetProperty("width").GetDouble(), d.GetProperty("height").GetDouble())))
                .ToList();

            var faces = detector.Detect(Image(name));

            Assert.Equal(expected.Count, faces.Count);
            var maxBoxDiff = faces.Zip(expected, (f, e) => new[] { f.Box.X - e.Box.X, f.Box.Y - e.Box.Y, f.Box.Width - e.Box.Width, f.Box.Height - e.Box.Height }.Max(Math.Abs))
                .DefaultIfEmpty(0).Max();
            var maxScoreDiff = faces.Zip(expected, (f, e) => Math.Abs(f.Score - e.Score)).DefaultIfEmpty(0).Max();
            output.WriteLine($"{name}: {faces.Count} faces, max |box diff| {maxBoxDiff:F4} px, max |score diff| {maxScoreDiff:E1}");
            Assert.InRange(maxBoxDiff, 0, 1.0);
            Assert.InRange(maxScoreDiff, 0, 1e-4);
            Assert.All(faces, f => Assert.Equal(new DetectionStage(512, minConfidence, false, DetectorKind.SsdMobilenetV1), f.Stage));
            faceCount += faces.Count;
        }
        Assert.True(faceCount > 0);
    }

    [Fact]
    public void The_input_size_is_fixed_and_the_threshold_must_lie_in_zero_one()
    {
        var image = new RgbImage(64, 48, new byte[64 * 48 * 3]);

        Assert.Throws<ArgumentOutOfRangeException>(() => PipelineModels.SsdDetector.Detect(image, 416, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PipelineModels.SsdDetector.Detect(image, 512, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SsdMobilenetV1Detector(new SsdMobilenetV1Options { MinConfidence = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SsdMobilenetV1Detector(new SsdMobilenetV1Options { MaxResults = 0 }));
        Assert.Empty(PipelineModels.SsdDetector.Detect(image));
    }

    private static RgbImage Image(string name)
    {
        if (SsdReferenceFile.DemoSample(name) is { } sample)
            return DemoImages.Decoded(sample);
        var (width, height, pixels) = SsdReferenceFile.Synthetic(name);
        return new RgbImage(width, height, pixels);
    }
}
