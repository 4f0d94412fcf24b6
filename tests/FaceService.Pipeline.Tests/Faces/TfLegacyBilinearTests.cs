using FaceService.Faces.Alignment;
using FaceService.Faces.Detection;
using FaceService.Faces.Imaging;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Faces;

public sealed class TfLegacyBilinearTests
{
    [Fact]
    public void UpscaleSamplesAtIndexTimesRatioAndClampsTheLastTap()
    {
        // One row 0, 100 (grey): 2 → 4 samples source x = 0, 0.5, 1, 1.5 with the right tap clamped to x = 1.
        var image = new RgbImage(2, 1, [0, 0, 0, 100, 100, 100]);
        var canvas = new PaddedCanvas(new PixelRect(0, 0, 2, 1), 0, 0, 2, 1);

        var output = TfLegacyBilinear.Resize(image, canvas, 4, 1);

        Assert.Equal([0f, 50f, 100f, 100f], output.Where((_, i) => i % 3 == 0));
    }

    [Fact]
    public void PadBottomRightKeepsTheImageAtTheTopLeft()
    {
        // 2 wide, 1 high: the square canvas is 2x2 with a zero row below.
        var image = new RgbImage(2, 1, [10, 20, 30, 40, 50, 60]);

        var output = TfLegacyBilinear.Resize(image, PaddedCanvas.SquareBottomRight(image), 2, 2);

        Assert.Equal([10f, 20f, 30f, 40f, 50f, 60f, 0f, 0f, 0f, 0f, 0f, 0f], output);
    }

    [Theory]
    [InlineData(240, 270, 15, 0)] // diff 30: 15 after, 15 before
    [InlineData(241, 270, 14, 0)] // diff 29: round(14.5) = 15 after, 14 before
    [InlineData(270, 241, 0, 14)]
    [InlineData(100, 100, 0, 0)]
    public void CentredPaddingPutsRoundHalfOfTheDifferenceAfter(int width, int height, int offsetX, int offsetY)
    {
        var canvas = PaddedCanvas.SquareCentred(new PixelRect(3, 4, width, height));

        Assert.Equal((offsetX, offsetY, Math.Max(width, height)), (canvas.OffsetX, canvas.OffsetY, canvas.Width));
    }

    [SkippableFact]
    public void NonSquareCropMatchesFaceApisPaddedResize()
    {
        Requires.Shared();
        var golden = FaceApiGolden.Load("preprocess_sample2_nonsquare.json");
        var shape = golden.GetProperty("raw").GetProperty("shapeHWC").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var raw = golden.GetProperty("raw").GetProperty("data").EnumerateArray().Select(e => e.GetByte()).ToArray();
        var expected = golden.GetProperty("resized150").GetProperty("data").Floats();
        var image = new RgbImage(shape[1], shape[0], raw);

        var actual = FaceApiCropAligner.FromWholeImage(image, 150).Pixels;

        Assert.Equal(expected.Length, actual.Length);
        var maxDiff = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(maxDiff <= 1e-5, $"max |diff| {maxDiff}");
    }

    /// <summary>
    /// The detector input from the JPEG vs face-api's: the same decoded pixels (jpeg-js's), so the channel means agree
    /// to 1e-4, the recorded grid to within tfjs's float32 resize arithmetic (measured max 0.0071 grey levels; 0.5 on
    /// average with ImageSharp's decode) and the zero padding exactly.
    /// </summary>
    [SkippableTheory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)]
    public void DetectorInputMatchesRecordedStatisticsAndGrid(int sample)
    {
        Requires.Shared();
        var golden = FaceApiGolden.Detect(sample).GetProperty("detectorInput");
        var image = DemoImages.Decoded(sample);

        var input = TinyFaceDetector.CreateInput(image, 416);

        var reshaped = golden.GetProperty("reshapedDims");
        Assert.Equal((reshaped.GetProperty("width").GetInt32(), reshaped.GetProperty("height").GetInt32()),
            TinyYoloDecoder.ReshapedDimensions(image.Width, image.Height, 416));
        for (var c = 0; c < 3; c++)
        {
            var stats = golden.GetProperty("channelStats")[c];
            var mean = Enumerable.Range(0, 416 * 416).Average(i => (double)input[i * 3 + c]);
            Assert.InRange(mean - stats.GetProperty("mean").GetDouble(), -1e-4, 1e-4);
        }

        var grid = golden.GetProperty("grid16").GetProperty("values").Doubles();
        double maxAbsDiff = 0;
        var i = 0;
        for (var y = 0; y < 416; y += 16)
        for (var x = 0; x < 416; x += 16)
        for (var c = 0; c < 3; c++, i++)
        {
            var actual = input[(y * 416 + x) * 3 + c];
            if (grid[i] == 0 && (y >= reshaped.GetProperty("height").GetInt32() || x >= reshaped.GetProperty("width").GetInt32()))
                Assert.Equal(0f, actual); // padding is exactly zero in both
            maxAbsDiff = Math.Max(maxAbsDiff, Math.Abs(actual - grid[i]));
        }
        Assert.InRange(maxAbsDiff, 0, 0.02);
    }
}
