using System.Security.Cryptography;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Faces;

/// <summary>
/// The golden files were made from jpeg-js 0.4.4's decode; every end-to-end tolerance rests on ours being the same
/// pixels. ImageSharp's decode differed by 0.2–0.7 grey levels on average per channel (up to 2.25 px on the boxes),
/// hence the jpeg-js port.
/// </summary>
public sealed class JpegDecoderParityTests
{
    [SkippableTheory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)]
    public void DecodeIsBitIdenticalToJpegJs(int sample)
    {
        Requires.Shared();
        var decoded = FaceApiGolden.Detect(sample).GetProperty("decoded");

        var image = DemoImages.Decoded(sample);

        Assert.Equal(decoded.GetProperty("width").GetInt32(), image.Width);
        Assert.Equal(decoded.GetProperty("height").GetInt32(), image.Height);
        Assert.Equal(decoded.GetProperty("rgbSha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(image.Pixels)));
    }
}
