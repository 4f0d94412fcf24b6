using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceService.Training.Data;

/// <summary>What one draw of the degradation does to one sample; <see cref="LowResolutionAugmentation.Plan"/> makes it from a seed.</summary>
public sealed record DegradationPlan(
    bool KeepHighResolution,
    int LowResolutionSize,
    DownscaleFilter Downscale,
    double? BlurSigma,
    double? NoiseSigma,
    int? JpegQuality,
    DownscaleFilter Upscale,
    int NoiseSeed);

/// <summary>
/// The student's low-resolution augmentation: HR aligned crop → blur → downscale to 6–48 px (area, bilinear or
/// bicubic) → noise → JPEG → upscale (bilinear or bicubic) to the student's input; or, for a share of samples, the
/// HR crop only area-resized. Pixels stay float 0..255 HWC, as <see cref="AlignedFace"/>, between the steps.
/// Every random choice comes from the seed, so a sample's degradation is reproducible and independent of
/// thread scheduling (the loader derives one seed per sample from the run seed, the epoch and the sample index).
/// </summary>
public sealed class LowResolutionAugmentation
{
    // Samples are augmented in parallel by the loader; ImageSharp's own row parallelism would only add contention.
    private static readonly Configuration SingleThreaded = CreateSingleThreadedConfiguration();

    private readonly LowResolutionAugmentationOptions _options;

    public LowResolutionAugmentation(LowResolutionAugmentationOptions options, int outputSize)
    {
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 8);
        _options = options;
        OutputSize = outputSize;
    }

    /// <summary>Side of the square face the augmentation returns: the student's input size.</summary>
    public int OutputSize { get; }

    public DegradationPlan Plan(int seed)
    {
        var rng = new Random(seed);
        var o = _options;
        var keepHr = rng.NextDouble() < o.HighResolutionShare;
        var logSize = Math.Log(o.MinSize) + rng.NextDouble() * (Math.Log(o.MaxSize + 1) - Math.Log(o.MinSize));
        var size = Math.Clamp((int)Math.Floor(Math.Exp(logSize)), o.MinSize, o.MaxSize);
        var downscale = o.DownscaleFilters[rng.Next(o.DownscaleFilters.Count)];
        double? blur = rng.NextDouble() < o.BlurProbability ? o.BlurSigmaMin + rng.NextDouble() * (o.BlurSigmaMax - o.BlurSigmaMin) : null;
        double? noise = rng.NextDouble() < o.NoiseProbability ? rng.NextDouble() * o.NoiseSigmaMax : null;
        int? jpeg = rng.NextDouble() < o.JpegProbability ? rng.Next(o.JpegQualityMin, o.JpegQualityMax + 1) : null;
        // Upscaling never uses area averaging: it is undefined for enlargement.
        var upscale = rng.Next(2) == 0 ? DownscaleFilter.Bilinear : DownscaleFilter.Bicubic;
        return new DegradationPlan(keepHr, size, downscale, blur, noise, jpeg, upscale, rng.Next());
    }

    public AlignedFace Apply(AlignedFace highResolution, int seed)
    {
        if (highResolution.Width != highResolution.Height)
            throw new ArgumentException($"Aligned crops are square; got {highResolution.Width}x{highResolution.Height}.", nameof(highResolution));
        return Apply(highResolution.Pixels, highResolution.Width, Plan(seed));
    }

    public AlignedFace Apply(RgbImage highResolution, int seed) => Apply(highResolution.Pixels, highResolution.Width, highResolution.Height, seed);

    /// <summary>The crop cache's form: 8-bit RGB HWC.</summary>
    public AlignedFace Apply(ReadOnlySpan<byte> highResolutionRgb, int width, int height, int seed)
    {
        if (width != height)
            throw new ArgumentException($"Aligned crops are square; got {width}x{height}.");
        var pixels = new float[width * height * 3];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = highResolutionRgb[i];
        return Apply(pixels, width, Plan(seed));
    }

    private AlignedFace Apply(float[] hr, int size, DegradationPlan plan)
    {
        if (plan.KeepHighResolution)
            return Finish(Resize(hr, size, OutputSize, DownscaleFilter.Area));

        var pixels = plan.BlurSigma is { } sigma ? WithImageSharp(hr, size, x => x.GaussianBlur((float)sigma)) : hr;
        var lowSize = Math.Min(plan.LowResolutionSize, size);
        pixels = Resize(pixels, size, lowSize, plan.Downscale);
        if (plan.NoiseSigma is { } noiseSigma)
            AddGaussianNoise(pixels, noiseSigma, new Random(plan.NoiseSeed));
        if (plan.JpegQuality is { } quality)
            pixels = JpegRoundTrip(pixels, lowSize, quality);
        return Finish(Resize(pixels, lowSize, OutputSize, plan.Upscale));
    }

    /// <summary>
    /// Area and bilinear are the evaluation's own resamplers (Faces/Imaging), so the student trains on exactly the
    /// degradation it is tested on; bicubic comes from ImageSharp. Area cannot enlarge: it falls back to bilinear.
    /// </summary>
    private static float[] Resize(float[] pixels, int size, int outSize, DownscaleFilter filter)
    {
        if (outSize == size)
            return pixels;
        return filter switch
        {
            DownscaleFilter.Area when outSize < size => AreaDownscale.Resize(pixels, size, size, 3, outSize, outSize),
            DownscaleFilter.Area or DownscaleFilter.Bilinear => BilinearResize.Resize(pixels, size, size, 3, outSize, outSize),
            DownscaleFilter.Bicubic => WithImageSharp(pixels, size, x => x.Resize(new ResizeOptions
            {
                Size = new Size(outSize, outSize),
                Mode = ResizeMode.Stretch,
                Sampler = KnownResamplers.Bicubic,
            })),
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, null),
        };
    }

    private static void AddGaussianNoise(float[] pixels, double sigma, Random rng)
    {
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = Math.Clamp(pixels[i] + (float)(sigma * StandardNormal(rng)), 0f, 255f);
    }

    private static double StandardNormal(Random rng)
    {
        // Box–Muller; 1 - NextDouble() is in (0, 1], so the log is finite.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static float[] JpegRoundTrip(float[] pixels, int size, int quality)
    {
        using var stream = new MemoryStream();
        using (var rgb = new Image<Rgb24>(SingleThreaded, size, size))
        {
            rgb.ProcessPixelRows(rows =>
            {
                for (var y = 0; y < size; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (var x = 0; x < size; x++)
                    {
                        var o = (y * size + x) * 3;
                        row[x] = new Rgb24(ToByte(pixels[o]), ToByte(pixels[o + 1]), ToByte(pixels[o + 2]));
                    }
                }
            });
            rgb.SaveAsJpeg(stream, new JpegEncoder { Quality = quality });
        }

        stream.Position = 0;
        using var decoded = Image.Load<Rgb24>(SingleThreaded, stream);
        var result = new float[size * size * 3];
        decoded.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < size; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < size; x++)
                {
                    var o = (y * size + x) * 3;
                    (result[o], result[o + 1], result[o + 2]) = (row[x].R, row[x].G, row[x].B);
                }
            }
        });
        return result;
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round(value), 0f, 255f);

    /// <summary>Runs an ImageSharp operation on a float HWC buffer (0..255) through a float image (0..1).</summary>
    private static float[] WithImageSharp(float[] pixels, int size, Action<IImageProcessingContext> operation)
    {
        var vectors = new RgbaVector[size * size];
        for (var i = 0; i < vectors.Length; i++)
            vectors[i] = new RgbaVector(pixels[3 * i] / 255f, pixels[3 * i + 1] / 255f, pixels[3 * i + 2] / 255f);
        using var image = Image.LoadPixelData<RgbaVector>(SingleThreaded, vectors, size, size);
        image.Mutate(operation);
        var result = new float[image.Width * image.Height * 3];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var o = (y * row.Length + x) * 3;
                    (result[o], result[o + 1], result[o + 2]) = (row[x].R * 255f, row[x].G * 255f, row[x].B * 255f);
                }
            }
        });
        return result;
    }

    /// <summary>Bicubic overshoots at edges; the net's input range is 0..255.</summary>
    private AlignedFace Finish(float[] pixels)
    {
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = Math.Clamp(pixels[i], 0f, 255f);
        return new AlignedFace(OutputSize, OutputSize, pixels);
    }

    private static Configuration CreateSingleThreadedConfiguration()
    {
        var configuration = Configuration.Default.Clone();
        configuration.MaxDegreeOfParallelism = 1;
        return configuration;
    }
}
