using FaceService.Faces.Alignment;
using FaceService.Training.Data;
using Xunit;

namespace FaceService.Training.Tests;

public class LowResolutionAugmentationTests
{
    private const int HighResolutionSize = 150;
    private const int StudentInput = 64;

    [Fact]
    public void Output_has_the_students_input_shape_for_every_draw()
    {
        var augmentation = new LowResolutionAugmentation(new LowResolutionAugmentationOptions(), StudentInput);
        var face = SyntheticFace(seed: 1);
        for (var seed = 0; seed < 40; seed++)
        {
            var output = augmentation.Apply(face, seed);
            Assert.Equal(StudentInput, output.Width);
            Assert.Equal(StudentInput, output.Height);
            Assert.Equal(StudentInput * StudentInput * 3, output.Pixels.Length);
            Assert.All(output.Pixels, v => Assert.InRange(v, 0f, 255f));
        }
    }

    [Fact]
    public void Same_seed_gives_identical_output_and_another_seed_differs()
    {
        var augmentation = new LowResolutionAugmentation(new LowResolutionAugmentationOptions { HighResolutionShare = 0 }, StudentInput);
        var face = SyntheticFace(seed: 2);

        var first = augmentation.Apply(face, seed: 123);
        var again = augmentation.Apply(face, seed: 123);
        var other = augmentation.Apply(face, seed: 124);

        Assert.Equal(first.Pixels, again.Pixels);
        Assert.NotEqual(first.Pixels, other.Pixels);
    }

    [Fact]
    public void Byte_and_float_inputs_of_the_same_crop_give_the_same_output()
    {
        var augmentation = new LowResolutionAugmentation(new LowResolutionAugmentationOptions(), StudentInput);
        var bytes = new byte[HighResolutionSize * HighResolutionSize * 3];
        new Random(3).NextBytes(bytes);
        var floats = new AlignedFace(HighResolutionSize, HighResolutionSize, bytes.Select(b => (float)b).ToArray());

        Assert.Equal(augmentation.Apply(floats, 9).Pixels, augmentation.Apply(bytes, HighResolutionSize, HighResolutionSize, 9).Pixels);
    }

    [Fact]
    public void Degraded_samples_lose_detail_and_the_high_resolution_share_keeps_it()
    {
        var face = SyntheticFace(seed: 4);
        var degraded = new LowResolutionAugmentation(new LowResolutionAugmentationOptions { HighResolutionShare = 0, MinSize = 8, MaxSize = 8 }, StudentInput);
        var highResolution = new LowResolutionAugmentation(new LowResolutionAugmentationOptions { HighResolutionShare = 1 }, StudentInput);

        // Fine detail = energy of the difference between horizontal neighbours.
        var lr = NeighbourEnergy(degraded.Apply(face, 5));
        var hr = NeighbourEnergy(highResolution.Apply(face, 5));

        Assert.True(lr < hr / 4, $"8 px degradation kept too much detail: {lr} vs HR {hr}");
        Assert.True(highResolution.Plan(5).KeepHighResolution);
    }

    [Fact]
    public void Area_downscale_and_bilinear_upscale_alone_is_exactly_the_evaluations_degradation()
    {
        var options = new LowResolutionAugmentationOptions
        {
            HighResolutionShare = 0, MinSize = 12, MaxSize = 12, DownscaleFilters = [DownscaleFilter.Area],
            BlurProbability = 0, NoiseProbability = 0, JpegProbability = 0,
        };
        var augmentation = new LowResolutionAugmentation(options, StudentInput);
        var seed = Enumerable.Range(0, 100).First(s => augmentation.Plan(s).Upscale == DownscaleFilter.Bilinear);
        var face = new AlignedFace(StudentInput, StudentInput, SyntheticFace(seed: 6).Pixels[..(StudentInput * StudentInput * 3)]);

        var expected = FaceService.Evaluation.Degradation.LowResolution.Degrade(face, 12);

        Assert.Equal(expected.Pixels, augmentation.Apply(face, seed).Pixels);
    }

    [Fact]
    public void Plans_follow_the_configured_ranges_and_share()
    {
        var options = new LowResolutionAugmentationOptions { HighResolutionShare = 0.25, MinSize = 6, MaxSize = 48 };
        var augmentation = new LowResolutionAugmentation(options, StudentInput);
        var plans = Enumerable.Range(0, 4000).Select(augmentation.Plan).ToList();

        Assert.All(plans, p => Assert.InRange(p.LowResolutionSize, 6, 48));
        Assert.InRange(plans.Count(p => p.KeepHighResolution) / 4000.0, 0.22, 0.28);
        Assert.Equal(3, plans.Select(p => p.Downscale).Distinct().Count());
        Assert.Contains(plans, p => p.LowResolutionSize == 6);
        Assert.Contains(plans, p => p.LowResolutionSize == 48);
        Assert.All(plans.Where(p => p.JpegQuality.HasValue), p => Assert.InRange(p.JpegQuality!.Value, options.JpegQualityMin, options.JpegQualityMax));
    }

    /// <summary>A smooth gradient with a fine checkerboard on top: the checkerboard is the detail LR must lose.</summary>
    private static AlignedFace SyntheticFace(int seed)
    {
        var rng = new Random(seed);
        var pixels = new float[HighResolutionSize * HighResolutionSize * 3];
        for (var y = 0; y < HighResolutionSize; y++)
        for (var x = 0; x < HighResolutionSize; x++)
        for (var c = 0; c < 3; c++)
        {
            var checker = ((x / 2 + y / 2) % 2 == 0) ? 60f : -60f;
            pixels[(y * HighResolutionSize + x) * 3 + c] = Math.Clamp(100f + x * 0.5f + c * 10 + checker + rng.Next(5), 0f, 255f);
        }

        return new AlignedFace(HighResolutionSize, HighResolutionSize, pixels);
    }

    private static double NeighbourEnergy(AlignedFace face)
    {
        double sum = 0;
        for (var y = 0; y < face.Height; y++)
        for (var x = 1; x < face.Width; x++)
        {
            var d = face.Pixels[(y * face.Width + x) * 3] - face.Pixels[(y * face.Width + x - 1) * 3];
            sum += d * d;
        }

        return sum / (face.Height * (face.Width - 1));
    }
}
