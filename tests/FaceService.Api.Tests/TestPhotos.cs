using FaceService.Faces;
using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;
using FaceService.TestSupport;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceService.Api.Tests;

/// <summary>
/// Photos cut from the face-api package's demo images (checked by eye). The six demo photos show 21 different people
/// and nobody twice, so person A's second photo is a second view made from the same original: another crop, mirrored,
/// scaled to 70 % and re-encoded as JPEG at a lower quality. Its embedding differs from the first view's (cosine about
/// 0.99 with the teacher, so enrolling it next to the first would count as a near-duplicate) while the identity stays
/// the same. The crops are tight around one person because the detector also fires, weakly, on hair and hands.
/// </summary>
public static class TestPhotos
{
    private static readonly Lazy<byte[]> A1 = new(() => Cut(2, new Rectangle(1250, 0, 600, 620), quality: 92));

    private static readonly Lazy<byte[]> A2 = new(() => Cut(2, new Rectangle(1290, 80, 520, 520), quality: 70,
        then: image => image.Mutate(x => x.Flip(FlipMode.Horizontal).Resize(364, 364))));

    private static readonly Lazy<byte[]> B = new(() => Cut(3, new Rectangle(850, 0, 600, 900), quality: 92));

    /// <summary>Person A: the woman on the right of sample2.jpg, the only face the detector finds there.</summary>
    public static byte[] PersonA => A1.Value;

    /// <summary>Person A again: the second view described above.</summary>
    public static byte[] PersonASecondView => A2.Value;

    /// <summary>Person B: the woman in the middle of sample3.jpg; never enrolled.</summary>
    public static byte[] PersonB => B.Value;

    /// <summary>sample1.jpg as it ships: three people.</summary>
    public static byte[] GroupOfThree => File.ReadAllBytes(Requires.FaceApiPackageFile("demo/sample1.jpg"));

    /// <summary>A smooth colour gradient, 320x240: a valid photo with no face in it.</summary>
    public static byte[] NoFace { get; } = Png(320, 240, (x, y) => new Rgb24((byte)(x * 255 / 319), (byte)(y * 255 / 239), 128));

    /// <summary>
    /// An aligned crop of the largest face in <paramref name="photo"/>, made by the service's own pipeline (the model's
    /// alignment at its input size), then area-downscaled to <paramref name="size"/> px: what a surveillance system sends.
    /// </summary>
    public static byte[] AlignedCrop(IFaceAnalyzer analyzer, byte[] photo, AlignmentKind alignment, int alignedSize, int size)
    {
        var faces = analyzer.Analyze(ImageDecoder.Decode(photo, new ImageDecodeOptions()), alignment, alignedSize);
        var aligned = faces.OrderByDescending(f => f.Detection.Box.Width * f.Detection.Box.Height).First().Aligned;
        using var image = new Image<Rgb24>(aligned.Width, aligned.Height);
        for (var y = 0; y < aligned.Height; y++)
        for (var x = 0; x < aligned.Width; x++)
        {
            var i = (y * aligned.Width + x) * 3;
            image[x, y] = new Rgb24(ToByte(aligned.Pixels[i]), ToByte(aligned.Pixels[i + 1]), ToByte(aligned.Pixels[i + 2]));
        }
        image.Mutate(x => x.Resize(size, size, KnownResamplers.Box));
        return Encode(image, new PngEncoder());
    }

    public static byte[] Png(int width, int height, Func<int, int, Rgb24> pixel)
    {
        using var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            image[x, y] = pixel(x, y);
        return Encode(image, new PngEncoder());
    }

    private static byte[] Cut(int sample, Rectangle region, int quality, Action<Image<Rgb24>>? then = null)
    {
        using var image = Image.Load<Rgb24>(Requires.FaceApiPackageFile($"demo/sample{sample}.jpg"));
        image.Mutate(x => x.AutoOrient().Crop(region));
        then?.Invoke(image);
        return Encode(image, new JpegEncoder { Quality = quality });
    }

    private static byte[] Encode(Image image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value), 0, 255);
}
