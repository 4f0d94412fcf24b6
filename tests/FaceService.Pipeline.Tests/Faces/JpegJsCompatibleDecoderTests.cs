using System.Security.Cryptography;
using FaceService.Faces.Imaging;
using FaceService.Faces.Imaging.Jpeg;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit;

namespace FaceService.Pipeline.Tests.Faces;

/// <summary>
/// The jpeg-js port on the variants the demo photos do not exercise (JpegFixtures/README.md): progressive, restart
/// intervals, grey, other chroma subsamplings, Adobe CMYK; then damaged and unsupported input.
/// </summary>
public sealed class JpegJsCompatibleDecoderTests
{
    private static readonly ImageDecodeOptions Defaults = new();

    /// <summary>SHA-256 of jpeg-js 0.4.4's own RGB decode of each fixture (record-jpegjs.js).</summary>
    public static TheoryData<string, string> FixturesAndJpegJsHashes() => new()
    {
        { "progressive-420.jpg", "182967476a4c89e3a367d73d65a6ae673491d231f695a73b4dca5c3b89b24eb4" },
        { "restart-420.jpg", "182967476a4c89e3a367d73d65a6ae673491d231f695a73b4dca5c3b89b24eb4" },
        { "progressive-restart-420.jpg", "182967476a4c89e3a367d73d65a6ae673491d231f695a73b4dca5c3b89b24eb4" },
        { "restart-grey.jpg", "bc8bc2327c0a8f0e427b7b00b5eaa86f613be46d8ff9eb5a5147d6521318e0f1" },
        { "restart-rows-422.jpg", "7e6e492bdb0a744b7e77077b8db881e36499e904252916be5be61a6197d7225d" },
        { "progressive-440.jpg", "e2048ba474d75acf3d3a497fa6ee94356c1d023648c975fd0b0986e78fc182cc" },
        { "baseline-444.jpg", "19189847c86d037d13b137e04ff23eb9efa9fc07b74bfccc301003dc738d9aba" },
        { "cmyk.jpg", "358a4cb2dc07f2dddfb37a1ff3108da9f7608bd01827f83c53e57be49a64b176" },
    };

    [Theory]
    [MemberData(nameof(FixturesAndJpegJsHashes))]
    public void DecodesToJpegJsPixels(string fixture, string jpegJsSha256)
    {
        var image = ImageDecoder.Decode(Fixture(fixture), Defaults);

        Assert.Equal((123, 77), (image.Width, image.Height));
        Assert.Equal(jpegJsSha256, Convert.ToHexStringLower(SHA256.HashData(image.Pixels)));
    }

    /// <summary>
    /// An independent decoder as a sanity check: ImageSharp differs only by its IDCT, chroma upsampling and rounding,
    /// a grey level or two on average. ImageSharp 2.1.13 misdecodes progressive JPEGs with restart intervals (12 grey
    /// levels off), so that fixture is compared with ImageSharp's decode of progressive-420.jpg, which holds the same
    /// coefficients (libjpeg's djpeg decodes all three 4:2:0 fixtures to identical pixels).
    /// </summary>
    [Theory]
    [InlineData("progressive-420.jpg", "progressive-420.jpg")]
    [InlineData("restart-420.jpg", "restart-420.jpg")]
    [InlineData("progressive-restart-420.jpg", "progressive-420.jpg")]
    [InlineData("restart-grey.jpg", "restart-grey.jpg")]
    [InlineData("restart-rows-422.jpg", "restart-rows-422.jpg")]
    [InlineData("progressive-440.jpg", "progressive-440.jpg")]
    [InlineData("baseline-444.jpg", "baseline-444.jpg")]
    [InlineData("cmyk.jpg", "cmyk.jpg")]
    public void IsCloseToImageSharp(string fixture, string imageSharpReference)
    {
        var image = ImageDecoder.Decode(Fixture(fixture), Defaults);

        var reference = ImageSharpPixels(Fixture(imageSharpReference));

        Assert.InRange(MeanAbsoluteDifference(image.Pixels, reference), 0, 2.0);
    }

    [Fact]
    public void ArithmeticCodingIsUnsupported()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(Fixture("arithmetic.jpg"), Defaults));
        Assert.Equal(ImageDecodeError.UnsupportedFormat, e.Error);
    }

    /// <summary>Every EXIF orientation gives the upright image ImageSharp's AutoOrient gives.</summary>
    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)] [InlineData(7)] [InlineData(8)]
    public void AppliesExifOrientation(int orientation)
    {
        using var stored = Image.Load<Rgb24>(Fixture("baseline-444.jpg"));
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)orientation);
        using var stream = new MemoryStream();
        stored.SaveAsJpeg(stream, new JpegEncoder { Quality = 95 });
        var bytes = stream.ToArray();

        var image = ImageDecoder.Decode(bytes, Defaults);

        using var upright = Image.Load<Rgb24>(bytes);
        upright.Mutate(x => x.AutoOrient());
        Assert.Equal((upright.Width, upright.Height), (image.Width, image.Height));
        var reference = new byte[upright.Width * upright.Height * 3];
        upright.CopyPixelDataTo(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Rgb24>(reference.AsSpan()));
        Assert.InRange(MeanAbsoluteDifference(image.Pixels, reference), 0, 2.0);
    }

    public static TheoryData<string, ImageDecodeError> DamagedHeaders() => new()
    {
        { "12-bit samples", ImageDecodeError.UnsupportedFormat },
        { "lossless frame (SOF3)", ImageDecodeError.UnsupportedFormat },
        { "arithmetic frame (SOF9)", ImageDecodeError.UnsupportedFormat },
        { "two components", ImageDecodeError.UnsupportedFormat },
        { "zero width", ImageDecodeError.Corrupt },
        { "sampling factor 0", ImageDecodeError.Corrupt },
        { "sampling factor 5", ImageDecodeError.Corrupt },
        { "duplicate component id", ImageDecodeError.Corrupt },
        { "scan of an unknown component", ImageDecodeError.Corrupt },
        { "undefined quantization table", ImageDecodeError.Corrupt },
        { "over-full Huffman table", ImageDecodeError.Corrupt },
        { "undefined Huffman table", ImageDecodeError.Corrupt },
        { "no start-of-image", ImageDecodeError.Corrupt },
        { "second frame header", ImageDecodeError.Corrupt },
    };

    [Theory]
    [MemberData(nameof(DamagedHeaders))]
    public void DamagedHeaderIsATypedError(string damage, ImageDecodeError expected)
    {
        var jpeg = Fixture("baseline-444.jpg");
        var sof = SegmentStart(jpeg, 0xC0); // FF C0, length (2), precision, height (2), width (2), count, components
        var sos = SegmentStart(jpeg, 0xDA); // FF DA, length (2), count, (id, tables) per component
        switch (damage)
        {
            case "12-bit samples": jpeg[sof + 4] = 12; break;
            case "lossless frame (SOF3)": jpeg[sof + 1] = 0xC3; break;
            case "arithmetic frame (SOF9)": jpeg[sof + 1] = 0xC9; break;
            case "two components": jpeg[sof + 9] = 2; break;
            case "zero width": jpeg[sof + 7] = jpeg[sof + 8] = 0; break;
            case "sampling factor 0": jpeg[sof + 11] = 0x01; break;
            case "sampling factor 5": jpeg[sof + 11] = 0x51; break;
            case "duplicate component id": jpeg[sof + 13] = jpeg[sof + 10]; break;
            case "scan of an unknown component": jpeg[sos + 5] = 9; break;
            case "undefined quantization table": jpeg[sof + 12] = 7; break;
            case "over-full Huffman table": jpeg[SegmentStart(jpeg, 0xC4) + 5] = 3; break; // three 1-bit codes
            case "undefined Huffman table": jpeg[sos + 6] = 0x33; break;
            case "no start-of-image": jpeg[1] = 0xD9; break;
            case "second frame header": jpeg = [.. jpeg[..sos], .. jpeg[sof..SegmentEnd(jpeg, sof)], .. jpeg[sos..]]; break;
        }

        var e = Assert.Throws<ImageDecodeException>(() => JpegJsCompatibleDecoder.Decode(jpeg, Defaults));
        Assert.Equal(expected, e.Error);
    }

    [Fact]
    public void FrameOverThePixelLimitIsRefusedBeforeDecoding()
    {
        var e = Assert.Throws<ImageDecodeException>(() =>
            JpegJsCompatibleDecoder.Decode(Fixture("baseline-444.jpg"), new ImageDecodeOptions { MaxPixels = 123 * 77 - 1 }));
        Assert.Equal(ImageDecodeError.TooLarge, e.Error);
    }

    /// <summary>Cut anywhere, every fixture is reported as corrupt (the decoder itself, without ImageDecoder's EOI check).</summary>
    [Theory]
    [InlineData("progressive-restart-420.jpg")]
    [InlineData("restart-rows-422.jpg")]
    [InlineData("restart-grey.jpg")]
    [InlineData("cmyk.jpg")]
    public void TruncatedAnywhereIsCorrupt(string fixture)
    {
        var jpeg = Fixture(fixture);
        for (var length = 0; length < jpeg.Length; length++)
        {
            var e = Assert.Throws<ImageDecodeException>(() => JpegJsCompatibleDecoder.Decode(jpeg.AsSpan(0, length), Defaults));
            Assert.Equal(ImageDecodeError.Corrupt, e.Error);
        }
    }

    /// <summary>Random damage either still decodes or fails with an ImageDecodeException, never anything else.</summary>
    [Theory]
    [InlineData("progressive-restart-420.jpg")]
    [InlineData("progressive-440.jpg")]
    [InlineData("restart-rows-422.jpg")]
    [InlineData("restart-grey.jpg")]
    [InlineData("baseline-444.jpg")]
    [InlineData("cmyk.jpg")]
    public void RandomByteDamageNeverThrowsAnythingElse(string fixture)
    {
        var original = Fixture(fixture);
        var random = new Random(fixture.Length);
        var options = new ImageDecodeOptions { MaxPixels = 1_000_000 }; // a damaged size field must not allocate gigabytes
        for (var trial = 0; trial < 400; trial++)
        {
            var jpeg = (byte[])original.Clone();
            var flips = random.Next(1, 9);
            for (var i = 0; i < flips; i++)
                jpeg[random.Next(jpeg.Length)] ^= (byte)random.Next(1, 256);

            foreach (var decode in new Func<RgbImage>[] { () => JpegJsCompatibleDecoder.Decode(jpeg, options), () => ImageDecoder.Decode(jpeg, options) })
            {
                try
                {
                    decode();
                }
                catch (Exception e) when (e is not ImageDecodeException)
                {
                    Assert.Fail($"trial {trial}: {e}");
                }
                catch (ImageDecodeException)
                {
                    // a typed error is the expected outcome for most damage
                }
            }
        }
    }

    private static byte[] Fixture(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Faces", "JpegFixtures", name));

    /// <summary>Offset of the first FF <paramref name="marker"/> segment, walking the marker segments from SOI.</summary>
    private static int SegmentStart(byte[] jpeg, byte marker)
    {
        for (var offset = 2; offset + 3 < jpeg.Length; offset = SegmentEnd(jpeg, offset))
            if (jpeg[offset + 1] == marker)
                return offset;
        throw new InvalidOperationException($"No FF {marker:X2} segment.");
    }

    private static int SegmentEnd(byte[] jpeg, int start) => start + 2 + ((jpeg[start + 2] << 8) | jpeg[start + 3]);

    private static byte[] ImageSharpPixels(byte[] bytes)
    {
        using var image = Image.Load<Rgb24>(bytes);
        var pixels = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Rgb24>(pixels.AsSpan()));
        return pixels;
    }

    private static double MeanAbsoluteDifference(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Average();
    }
}
