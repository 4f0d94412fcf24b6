using System.Buffers.Binary;
using System.Text;
using FaceService.Faces.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace FaceService.Pipeline.Tests.Faces;

public sealed class ImageDecoderTests
{
    private static readonly ImageDecodeOptions Defaults = new();

    [Fact]
    public void DecodesPngToRgbPixels()
    {
        var bytes = Encode(Gradient(5, 3), new PngEncoder());

        var image = ImageDecoder.Decode(bytes, Defaults);

        Assert.Equal((5, 3), (image.Width, image.Height));
        Assert.Equal(new byte[] { 0, 0, 100 }, image.Pixels[..3]);
        var lastPixel = (2 * 5 + 4) * 3; // x = 4, y = 2
        Assert.Equal(new byte[] { 40, 20, 100 }, image.Pixels[lastPixel..(lastPixel + 3)]);
    }

    [Fact]
    public void AppliesExifOrientation()
    {
        using var source = Gradient(40, 20);
        source.Metadata.ExifProfile = new ExifProfile();
        source.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6); // stored sideways: rotate 90° clockwise to view

        var image = ImageDecoder.Decode(Encode(source, new PngEncoder()), Defaults);

        Assert.Equal((20, 40), (image.Width, image.Height));
    }

    [Fact]
    public void ZeroBytesAreEmpty() => AssertError(ImageDecodeError.Empty, []);

    [Fact]
    public void TextIsUnsupported() => AssertError(ImageDecodeError.UnsupportedFormat, Encoding.UTF8.GetBytes("name,age\nAda,36\n"));

    [Fact]
    public void HeifIsUnsupported()
    {
        // An ISO-BMFF 'ftyp' box with brand heic: the start of an iPhone photo, a format ImageSharp 2 does not read.
        byte[] heic = [0, 0, 0, 24, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1heic"u8, 0, 0, 0, 8, .. "meta"u8];
        AssertError(ImageDecodeError.UnsupportedFormat, heic);
    }

    [Fact]
    public void TruncatedJpegIsCorrupt()
    {
        var jpeg = Encode(Gradient(64, 64), new JpegEncoder { Quality = 90 });

        AssertError(ImageDecodeError.Corrupt, jpeg[..(jpeg.Length * 2 / 3)]);
    }

    [Fact]
    public void JpegCutInsideItsHeaderIsCorrupt()
    {
        var jpeg = Encode(Gradient(64, 64), new JpegEncoder());

        AssertError(ImageDecodeError.Corrupt, jpeg[..40]);
    }

    [Fact]
    public void PngWithDamagedPixelDataIsCorrupt()
    {
        var png = Encode(Gradient(32, 32), new PngEncoder());
        var idat = png.AsSpan().IndexOf("IDAT"u8);
        for (var i = idat + 4; i < idat + 40; i++)
            png[i] ^= 0x5A;

        AssertError(ImageDecodeError.Corrupt, png);
    }

    [Fact]
    public void ImageOverThePixelLimitIsRefused()
    {
        var bytes = Encode(Gradient(100, 50), new PngEncoder());

        AssertError(ImageDecodeError.TooLarge, bytes, new ImageDecodeOptions { MaxPixels = 4999 });
        Assert.Equal(100, ImageDecoder.Decode(bytes, new ImageDecodeOptions { MaxPixels = 5000 }).Width);
    }

    /// <summary>
    /// A PNG header claiming 60000 x 60000 (3.6 gigapixels) with no pixel data at all: refusing it as too large,
    /// rather than failing as truncated or running out of memory, shows the limit is checked on the header alone.
    /// </summary>
    [Fact]
    public void OversizedHeaderIsRefusedBeforeDecoding() =>
        AssertError(ImageDecodeError.TooLarge, PngHeaderOnly(60_000, 60_000));

    private static void AssertError(ImageDecodeError expected, byte[] data, ImageDecodeOptions? options = null)
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(data, options ?? Defaults));
        Assert.Equal(expected, e.Error);
    }

    private static Image<Rgb24> Gradient(int width, int height)
    {
        var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            image[x, y] = new Rgb24((byte)(x * 10), (byte)(y * 10), 100);
        return image;
    }

    private static byte[] Encode(Image image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    private static byte[] PngHeaderOnly(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        byte[] chunk = [.. "IHDR"u8, .. ihdr];
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, PngCrc32(chunk));
        return [0x89, .. "PNG\r\n"u8, 0x1A, (byte)'\n', 0, 0, 0, 13, .. chunk, .. crc];
    }

    /// <summary>The CRC-32 (ISO-HDLC) that PNG chunks carry.</summary>
    private static uint PngCrc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
