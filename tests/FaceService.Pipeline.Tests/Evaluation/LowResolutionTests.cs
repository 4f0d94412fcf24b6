using FaceService.Evaluation.Degradation;
using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;
using Xunit;

namespace FaceService.Pipeline.Tests.Evaluation;

public class LowResolutionTests
{
    private static AlignedFace Checkerboard(int size)
    {
        var pixels = new float[size * size * 3];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
                for (var c = 0; c < 3; c++)
                    pixels[(y * size + x) * 3 + c] = (x + y) % 2 == 0 ? 255f : 0f;
        return new AlignedFace(size, size, pixels);
    }

    private static double StandardDeviation(float[] values)
    {
        var mean = values.Average(v => (double)v);
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }

    [Fact]
    public void Area_downscale_averages_whole_blocks()
    {
        float[] image = [1, 3, 5, 7, 2, 4, 6, 8, 10, 10, 0, 0, 10, 10, 0, 4]; // 4x4, one channel

        var result = AreaDownscale.Resize(image, 4, 4, 1, 2, 2);

        Assert.Equal([2.5f, 6.5f, 10f, 1f], result);
    }

    [Fact]
    public void Area_downscale_weights_partly_covered_pixels_by_their_overlap()
    {
        // 3 -> 2: output 0 covers source [0, 1.5), output 1 covers [1.5, 3).
        var result = AreaDownscale.Resize([0f, 3f, 6f], 3, 1, 1, 2, 1);

        Assert.Equal(1f, result[0], 5);
        Assert.Equal(5f, result[1], 5);
    }

    [Fact]
    public void Bilinear_upscale_uses_half_pixel_centres_and_clamps_at_the_edges()
    {
        var result = BilinearResize.Resize([0f, 4f], 2, 1, 1, 4, 1);

        Assert.Equal([0f, 1f, 3f, 4f], result);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(24)]
    [InlineData(16)]
    [InlineData(12)]
    [InlineData(8)]
    public void Degrading_keeps_the_crop_size_and_a_flat_image_flat(int size)
    {
        var flat = new AlignedFace(150, 150, Enumerable.Repeat(77f, 150 * 150 * 3).ToArray());

        var degraded = LowResolution.Degrade(flat, size);

        Assert.Equal((150, 150, 150 * 150 * 3), (degraded.Width, degraded.Height, degraded.Pixels.Length));
        Assert.All(degraded.Pixels, v => Assert.Equal(77f, v, 3));
    }

    [Fact]
    public void The_8_pixel_downscale_of_a_checkerboard_is_flat()
    {
        var board = Checkerboard(160); // 20 x 20 source pixels per output pixel: exactly half black, half white

        var small = AreaDownscale.Resize(board.Pixels, 160, 160, 3, 8, 8);

        Assert.All(small, v => Assert.Equal(127.5f, v, 3));
    }

    [Fact]
    public void Degrading_to_8_pixels_removes_the_detail_of_a_150_pixel_crop()
    {
        var board = Checkerboard(150);

        var degraded = LowResolution.Degrade(board, 8);

        Assert.Equal(127.5, StandardDeviation(board.Pixels), 3);
        // 18.75 source pixels per output pixel leave only the parity of a partial row or column: under 3 % contrast.
        Assert.True(StandardDeviation(degraded.Pixels) < 4, $"std {StandardDeviation(degraded.Pixels)}");
    }

    [Theory]
    [InlineData(150.0, 16, 16.0)]
    [InlineData(112.0, 8, 8.0)]
    [InlineData(12.0, 16, 12.0)] // already coarser than the degradation: its detail stays 12 px
    public void A_degraded_crop_carries_the_size_it_was_degraded_to_as_its_source_resolution(double sourcePixels, int size, double expected)
    {
        var face = new AlignedFace(32, 32, new float[32 * 32 * 3], sourcePixels);

        var degraded = LowResolution.Degrade(face, size);

        Assert.Equal(expected, degraded.SourcePixels);
        Assert.Equal(32, degraded.Width);
    }

    [Fact]
    public void Degrading_beyond_the_crop_size_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LowResolution.Degrade(Checkerboard(16), 32));
    }
}
