using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Transforms;

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
/// bicubic) → noise → JPEG → upscale to the student's input; or, for a share of samples, the HR crop only resized.
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
        using var image = ToImage(highResolution.Width, highResolution.Height, highResolution.Pixels);
        return Apply(image, Plan(seed));
    }

    public AlignedFace Apply(RgbImage highResolution, int seed) => Apply(highResolution.Pixels, highResolution.Width, highResolution.Height, seed);

    /// <summary>The crop cache's form: 8-bit RGB HWC.</summary>
    public AlignedFace Apply(ReadOnlySpan<byte> highResolutionRgb, int width, int height, int seed)
    {
        var pixels = new float[width * height * 3];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = highResolutionRgb[i];
        using var image = ToImage(width, height, pixels);
        return Apply(image, Plan(seed));
    }

    private AlignedFace Apply(Image<RgbaVector> image, DegradationPlan plan)
    {
        if (plan.KeepHighResolution)
        {
            image.Mutate(x => x.Resize(Options(OutputSize, DownscaleFilter.Area)));
            return ToAlignedFace(image);
        }

        if (plan.BlurSigma is { } sigma)
            image.Mutate(x => x.GaussianBlur((float)sigma));
        image.Mutate(x => x.Resize(Options(plan.LowResolutionSize, plan.Downscale)));
        if (plan.NoiseSigma is { } noiseSigma)
            AddGaussianNoise(image, noiseSigma / 255.0, new Random(plan.NoiseSeed));
        var degraded = plan.JpegQuality is { } quality ? JpegRoundTrip(image, quality) : image;
        try
        {
            degraded.Mutate(x => x.Resize(Options(OutputSize, plan.Upscale)));
            return ToAlignedFace(degraded);
        }
        finally
        {
            if (!ReferenceEquals(degraded, image))
                degraded.Dispose();
        }
    }

    private static ResizeOptions Options(int size, DownscaleFilter filter) => new()
    {
        Size = new Size(size, size),
        Mode = ResizeMode.Stretch,
        Sampler = Resampler(filter),
    };

    private static IResampler Resampler(DownscaleFilter filter) => filter switch
    {
        // ImageSharp widens a kernel by the scale factor when shrinking, so the box kernel averages each source area.
        DownscaleFilter.Area => KnownResamplers.Box,
        DownscaleFilter.Bilinear => KnownResamplers.Triangle,
        DownscaleFilter.Bicubic => KnownResamplers.Bicubic,
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, null),
    };

    private static void AddGaussianNoise(Image<RgbaVector> image, double sigma, Random rng)
    {
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    ref var p = ref row[x];
                    p.R = Math.Clamp(p.R + (float)(sigma * StandardNormal(rng)), 0f, 1f);
                    p.G = Math.Clamp(p.G + (float)(sigma * StandardNormal(rng)), 0f, 1f);
                    p.B = Math.Clamp(p.B + (float)(sigma * StandardNormal(rng)), 0f, 1f);
                }
            }
        });
    }

    private static double StandardNormal(Random rng)
    {
        // Box–Muller; 1 - NextDouble() is in (0, 1], so the log is finite.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static Image<RgbaVector> JpegRoundTrip(Image<RgbaVector> image, int quality)
    {
        using var stream = new MemoryStream();
        using (var rgb = image.CloneAs<Rgb24>())
            rgb.SaveAsJpeg(stream, new JpegEncoder { Quality = quality });
        stream.Position = 0;
        return Image.Load<RgbaVector>(SingleThreaded, stream);
    }

    private static Image<RgbaVector> ToImage(int width, int height, float[] hwc)
    {
        var pixels = new RgbaVector[width * height];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = new RgbaVector(hwc[3 * i] / 255f, hwc[3 * i + 1] / 255f, hwc[3 * i + 2] / 255f);
        return Image.LoadPixelData<RgbaVector>(SingleThreaded, pixels, width, height);
    }

    private static AlignedFace ToAlignedFace(Image<RgbaVector> image)
    {
        var hwc = new float[image.Width * image.Height * 3];
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                var o = y * row.Length * 3;
                for (var x = 0; x < row.Length; x++, o += 3)
                {
                    // Bicubic overshoots at edges; the net's input range is 0..255.
                    hwc[o] = Math.Clamp(row[x].R, 0f, 1f) * 255f;
                    hwc[o + 1] = Math.Clamp(row[x].G, 0f, 1f) * 255f;
                    hwc[o + 2] = Math.Clamp(row[x].B, 0f, 1f) * 255f;
                }
            }
        });
        return new AlignedFace(image.Width, image.Height, hwc);
    }

    private static Configuration CreateSingleThreadedConfiguration()
    {
        var configuration = Configuration.Default.Clone();
        configuration.MaxDegreeOfParallelism = 1;
        return configuration;
    }
}
