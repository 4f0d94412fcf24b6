namespace FaceService.Training.Data;

/// <summary>Filters a degradation may use to shrink the HR crop; real LR faces come from all of them.</summary>
public enum DownscaleFilter
{
    /// <summary>Area averaging: the evaluation's degradation.</summary>
    Area,
    Bilinear,
    Bicubic,
}

/// <summary>
/// Probabilities and ranges of the student's low-resolution degradation (one JSON block of an experiment config).
/// Sizes are in pixels of the square LR face; blur sigma is in HR-crop pixels; noise sigma in 0..255 units.
/// </summary>
public sealed record LowResolutionAugmentationOptions
{
    /// <summary>Share of samples kept at HR: only resized to the student's input, so the student also serves HR faces.</summary>
    public double HighResolutionShare { get; init; } = 0.2;

    /// <summary>The LR size is drawn log-uniformly in [MinSize, MaxSize], so every octave gets the same share.</summary>
    public int MinSize { get; init; } = 6;

    public int MaxSize { get; init; } = 48;

    public IReadOnlyList<DownscaleFilter> DownscaleFilters { get; init; } = [DownscaleFilter.Area, DownscaleFilter.Bilinear, DownscaleFilter.Bicubic];

    /// <summary>Optical blur before the downscale (defocus, motion-free).</summary>
    public double BlurProbability { get; init; } = 0.3;

    public double BlurSigmaMin { get; init; } = 0.5;

    public double BlurSigmaMax { get; init; } = 2.0;

    /// <summary>Gaussian sensor noise at the LR size.</summary>
    public double NoiseProbability { get; init; } = 0.3;

    public double NoiseSigmaMax { get; init; } = 8.0;

    /// <summary>JPEG compression at the LR size, as a camera or a video codec would store it.</summary>
    public double JpegProbability { get; init; } = 0.5;

    public int JpegQualityMin { get; init; } = 30;

    public int JpegQualityMax { get; init; } = 95;

    public void Validate()
    {
        if (HighResolutionShare is < 0 or > 1) throw new ArgumentException("highResolutionShare must be in 0..1.");
        if (MinSize < 2 || MaxSize < MinSize) throw new ArgumentException("Need 2 <= minSize <= maxSize.");
        if (DownscaleFilters.Count == 0) throw new ArgumentException("downscaleFilters must not be empty.");
        if (BlurProbability is < 0 or > 1 || NoiseProbability is < 0 or > 1 || JpegProbability is < 0 or > 1)
            throw new ArgumentException("Probabilities must be in 0..1.");
        if (BlurSigmaMin <= 0 || BlurSigmaMax < BlurSigmaMin) throw new ArgumentException("Need 0 < blurSigmaMin <= blurSigmaMax.");
        if (NoiseSigmaMax < 0) throw new ArgumentException("noiseSigmaMax must be >= 0.");
        if (JpegQualityMin is < 1 or > 100 || JpegQualityMax < JpegQualityMin || JpegQualityMax > 100)
            throw new ArgumentException("Need 1 <= jpegQualityMin <= jpegQualityMax <= 100.");
    }
}
