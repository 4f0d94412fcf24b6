using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;

namespace FaceService.Evaluation.Degradation;

/// <summary>
/// The evaluation's low-resolution variant of an aligned crop (../shared/README.md): area-average the crop down to
/// s x s pixels, then scale it back up to its own size with half-pixel-centred bilinear interpolation, the usual
/// upsampler of LR face benchmarks (OpenCV INTER_LINEAR). Only the crop is degraded; detection and alignment ran on
/// the HR photo.
/// </summary>
public static class LowResolution
{
    /// <summary>The sizes the LFW table reports, largest first.</summary>
    public static IReadOnlyList<int> StandardSizes { get; } = [32, 24, 16, 12, 8];

    /// <summary>
    /// The degraded crop, at the input's size but with only <paramref name="size"/> pixels of detail across: that is its
    /// source resolution now (or the input's, when that was lower still).
    /// </summary>
    public static AlignedFace Degrade(AlignedFace face, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (size > face.Width || size > face.Height)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"Cannot degrade a {face.Width}x{face.Height} crop to {size}x{size}.");
        var small = AreaDownscale.Resize(face.Pixels, face.Width, face.Height, 3, size, size);
        return new AlignedFace(face.Width, face.Height, BilinearResize.Resize(small, size, size, 3, face.Width, face.Height),
            Math.Min(size, face.SourcePixels));
    }
}
