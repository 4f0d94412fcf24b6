using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Faces;

/// <summary>
/// The golden files were made from jpeg-js output; ImageSharp's decode of the same JPEG is compared first, since
/// every end-to-end tolerance depends on it. They are not bit-identical (different IDCT, chroma upsampling and
/// rounding): ImageSharp is brighter by 0.2–0.7 grey levels on average per channel on the six demo images, so the
/// end-to-end tests use the README's tolerances for "a port with a different JPEG decoder".
/// </summary>
public sealed class JpegDecoderParityTests
{
    [SkippableTheory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)]
    public void ImageSharpDecodeIsCloseToJpegJs(int sample)
    {
        Requires.Shared();
        var decoded = FaceApiGolden.Detect(sample).GetProperty("decoded");
        var image = DemoImages.Decoded(sample);

        Assert.Equal(decoded.GetProperty("width").GetInt32(), image.Width);
        Assert.Equal(decoded.GetProperty("height").GetInt32(), image.Height);
        var sums = new long[3];
        for (var i = 0; i < image.Pixels.Length; i++)
            sums[i % 3] += image.Pixels[i];
        var expectedSums = decoded.GetProperty("channelSums").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var pixels = (double)image.Width * image.Height;
        for (var c = 0; c < 3; c++)
            Assert.InRange((sums[c] - expectedSums[c]) / pixels, -1.0, 1.0);

        var firstPixels = decoded.GetProperty("firstPixels").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        for (var i = 0; i < firstPixels.Length; i++)
            Assert.InRange(image.Pixels[i] - firstPixels[i], -4, 4);
    }
}
