using System.Text.Json;
using FaceService.Faces.Detection;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Faces;

/// <summary>Decode and NMS on the recorded net outputs, against face-api's candidates and detections.</summary>
public sealed class TinyYoloDecoderTests
{
    private const double Tolerance = 1e-9;

    [SkippableTheory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)]
    public void DecodeAndNmsReproduceFaceApiDetections(int sample)
    {
        Requires.Shared();
        var golden = FaceApiGolden.Detect(sample);
        var (width, height) = ImageSize(golden);
        var decode = golden.GetProperty("decode");

        var candidates = TinyYoloDecoder.Decode(RecordedOutput(golden), 13, width, height, 416, 0.5);
        var kept = TinyYoloDecoder.NonMaxSuppression(candidates, 0.4);

        var expectedCandidates = decode.GetProperty("beforeNms").EnumerateArray().ToArray();
        Assert.Equal(expectedCandidates.Length, candidates.Count);
        for (var i = 0; i < candidates.Count; i++)
        {
            var expected = expectedCandidates[i];
            Assert.Equal((expected.GetProperty("row").GetInt32(), expected.GetProperty("col").GetInt32(), expected.GetProperty("anchor").GetInt32()),
                (candidates[i].Row, candidates[i].Col, candidates[i].Anchor));
            Assert.Equal(expected.GetProperty("score").GetDouble(), candidates[i].Score, Tolerance);
            AssertBox(expected.GetProperty("boxPx").Doubles(), candidates[i].ToPixels(width, height));
        }

        Assert.Equal(decode.GetProperty("nmsKeptIndices").EnumerateArray().Select(e => e.GetInt32()), kept);
        var afterNms = decode.GetProperty("afterNms").EnumerateArray().ToArray();
        for (var i = 0; i < kept.Count; i++)
            AssertBox(afterNms[i].GetProperty("boxPx").Doubles(), candidates[kept[i]].ToPixels(width, height));
    }

    /// <summary>At threshold 0.1 boxes overlap, so this is where NMS actually removes candidates (in five of the six images).</summary>
    [SkippableTheory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)]
    public void NmsAtLowThresholdKeepsFaceApisPicks(int sample)
    {
        Requires.Shared();
        var golden = FaceApiGolden.Detect(sample);
        var (width, height) = ImageSize(golden);
        var exercise = golden.GetProperty("decode").GetProperty("nmsExercise_threshold0_1");

        var candidates = TinyYoloDecoder.Decode(RecordedOutput(golden), 13, width, height, 416, 0.1);
        var kept = TinyYoloDecoder.NonMaxSuppression(candidates, 0.4);

        var expectedCandidates = exercise.GetProperty("beforeNms").EnumerateArray().ToArray();
        Assert.Equal(expectedCandidates.Length, candidates.Count);
        for (var i = 0; i < candidates.Count; i++)
        {
            var box = expectedCandidates[i].GetProperty("relBox").Doubles();
            Assert.Equal(box[0], candidates[i].X, Tolerance);
            Assert.Equal(box[1], candidates[i].Y, Tolerance);
            Assert.Equal(box[2], candidates[i].Width, Tolerance);
            Assert.Equal(box[3], candidates[i].Height, Tolerance);
        }
        var expectedKept = exercise.GetProperty("nmsKeptIndices").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(expectedKept, kept);
    }

    private static float[] RecordedOutput(JsonElement golden) =>
        FaceApiGolden.NhwcToNchw(golden.GetProperty("rawOutput").GetProperty("values").Floats(), 13, 25);

    private static (int Width, int Height) ImageSize(JsonElement golden)
    {
        var decoded = golden.GetProperty("decoded");
        return (decoded.GetProperty("width").GetInt32(), decoded.GetProperty("height").GetInt32());
    }

    private static void AssertBox(double[] expected, FaceService.Faces.FaceBox actual)
    {
        Assert.Equal(expected[0], actual.X, 1e-6);
        Assert.Equal(expected[1], actual.Y, 1e-6);
        Assert.Equal(expected[2], actual.Width, 1e-6);
        Assert.Equal(expected[3], actual.Height, 1e-6);
    }
}
