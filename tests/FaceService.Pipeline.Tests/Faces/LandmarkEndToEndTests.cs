using FaceService.Faces;
using FaceService.Faces.Imaging;
using FaceService.Faces.Landmarks;
using FaceService.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace FaceService.Pipeline.Tests.Faces;

public sealed class LandmarkEndToEndTests(ITestOutputHelper output)
{
    public static TheoryData<int, string> SamplesAndNets()
    {
        var data = new TheoryData<int, string>();
        for (var sample = 1; sample <= 6; sample++)
        {
            data.Add(sample, "landmarks68");
            data.Add(sample, "landmarks68tiny");
        }
        return data;
    }

    /// <summary>
    /// face-api's own 8-bit 112x112 input, given as a whole 112x112 image with a box covering it (so crop, padding and
    /// resize are the identity and the points are raw·112): the raw outputs must match tightly.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(SamplesAndNets))]
    public void NetOnRecordedInputMatchesRawOutput(int sample, string net)
    {
        Requires.Shared();
        var landmarker = net == "landmarks68" ? PipelineModels.Landmarks : PipelineModels.TinyLandmarks;
        foreach (var face in FaceApiGolden.Detect(sample).GetProperty("faces").EnumerateArray())
        {
            var input = new RgbImage(112, 112, Convert.FromBase64String(face.GetProperty("landmarkInput112").GetProperty("u8Base64").GetString()!));
            var expected = face.GetProperty(net).GetProperty("rawOutput_u8Input").Doubles();

            var points = landmarker.Detect(input, [new FaceBox(0, 0, 112, 112)])[0]!.Points;

            var maxDiff = Enumerable.Range(0, 68).Max(i => Math.Max(
                Math.Abs(points[i].X / 112 - expected[2 * i]), Math.Abs(points[i].Y / 112 - expected[2 * i + 1])));
            Assert.True(maxDiff < 1e-4, $"max |raw diff| {maxDiff}");
        }
    }

    /// <summary>
    /// Full net on ImageSharp's decode with face-api's boxes: only the JPEG decoder differs. Within 0.5 % of the box
    /// side (≈1.5 px; measured max 1.01 px on a 293 px box, 0.1–0.3 px typical).
    /// </summary>
    [SkippableTheory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)]
    public void LandmarksOnFaceApisBoxesMatchWithinTheDecoderDifference(int sample)
    {
        Requires.Shared();
        var faces = FaceApiGolden.Detect(sample).GetProperty("faces").EnumerateArray().ToArray();
        var boxes = faces.Select(f => f.GetProperty("detection").GetProperty("boxPx").Box()).ToList();

        var landmarks = PipelineModels.Landmarks.Detect(DemoImages.Decoded(sample), boxes);

        for (var k = 0; k < faces.Length; k++)
        {
            var errors = PointErrors(faces[k], landmarks[k]!);
            output.WriteLine($"sample{sample} face{k}: mean {errors.Average():F2} max {errors.Max():F2} px, box {boxes[k].Width:F0} px");
            Assert.InRange(errors.Max(), 0, 0.005 * boxes[k].Width);
        }
    }

    /// <summary>
    /// From the JPEG through our detector and landmarker. The boxes differ from face-api's by up to 2 px (decoder),
    /// which moves the crop, and the landmark net amplifies that: mean error 0.5–1.7 px on 19 of the 20 faces, but
    /// 12 px on sample6's smallest, turned face. Bounds: median face ≤ 0.5 % of its box side, worst face ≤ 5 %.
    /// </summary>
    [SkippableFact]
    public void LandmarksFromTheJpegFollowFaceApi()
    {
        Requires.Shared();
        var relativeErrors = new List<double>();
        for (var sample = 1; sample <= 6; sample++)
        {
            var image = DemoImages.Decoded(sample);
            var faces = FaceApiGolden.Detect(sample).GetProperty("faces").EnumerateArray().ToArray();
            var boxes = PipelineModels.Detector.Detect(image).Select(f => f.Box).ToList();
            Assert.Equal(faces.Length, boxes.Count);

            var landmarks = PipelineModels.Landmarks.Detect(image, boxes);

            for (var k = 0; k < faces.Length; k++)
            {
                var meanError = PointErrors(faces[k], landmarks[k]!).Average();
                output.WriteLine($"sample{sample} face{k}: mean {meanError:F2} px, box {boxes[k].Width:F0} px");
                relativeErrors.Add(meanError / boxes[k].Width);
            }
        }
        relativeErrors.Sort();
        Assert.InRange(relativeErrors[relativeErrors.Count / 2], 0, 0.005);
        Assert.InRange(relativeErrors[^1], 0, 0.05);
    }

    private static double[] PointErrors(System.Text.Json.JsonElement face, FaceLandmarks landmarks)
    {
        var expected = face.GetProperty("landmarks68").GetProperty("positionsPx").Points();
        return Enumerable.Range(0, 68).Select(i => Math.Sqrt(
            Math.Pow(expected[i].X - landmarks.Points[i].X, 2) + Math.Pow(expected[i].Y - landmarks.Points[i].Y, 2))).ToArray();
    }
}
