using FaceService.Training.Losses;
using Xunit;
using static TorchSharp.torch;

namespace FaceService.Training.Tests;

public class MultiKernelMmdTests
{
    private static readonly double[] Bandwidths = [0.25, 0.5, 1, 2, 4];

    [Fact]
    public void Is_zero_for_identical_batches()
    {
        using var scope = NewDisposeScope();
        var batch = Batch(seed: 1);

        var mmd = new MultiKernelMmd(Bandwidths).Compute(batch, batch.clone()).item<float>();

        Assert.InRange(mmd, -1e-6, 1e-6);
    }

    [Fact]
    public void Is_small_for_two_samples_of_one_distribution()
    {
        using var scope = NewDisposeScope();
        var mmd = new MultiKernelMmd(Bandwidths);

        var same = mmd.Compute(Batch(seed: 2), Batch(seed: 3)).item<float>();
        var shifted = mmd.Compute(Batch(seed: 2), Batch(seed: 3) + 0.5f).item<float>();

        Assert.True(same < shifted / 3, $"same distribution {same}, shifted {shifted}");
    }

    [Fact]
    public void Grows_monotonically_with_a_mean_shift()
    {
        using var scope = NewDisposeScope();
        var mmd = new MultiKernelMmd(Bandwidths);
        var x = Batch(seed: 4);
        var y = Batch(seed: 5);
        var direction = nn.functional.normalize(randn(1, 128, generator: new Generator(6)), dim: 1);

        var values = new[] { 0.0f, 0.1f, 0.25f, 0.5f, 1.0f, 2.0f }
            .Select(shift => mmd.Compute(x, y + direction * shift).item<float>())
            .ToArray();

        for (var i = 1; i < values.Length; i++)
            Assert.True(values[i] > values[i - 1], $"MMD not increasing: {string.Join(", ", values)}");
    }

    [Fact]
    public void Gradient_flows_to_both_batches()
    {
        using var scope = NewDisposeScope();
        var x = Batch(seed: 7).requires_grad_();
        var y = (Batch(seed: 8) + 0.3f).requires_grad_();

        new MultiKernelMmd(Bandwidths).Compute(x, y).backward();

        Assert.True(x.grad is not null && x.grad.abs().sum().item<float>() > 0);
        Assert.True(y.grad is not null && y.grad.abs().sum().item<float>() > 0);
        Assert.False(x.grad!.isnan().any().item<bool>());
    }

    /// <summary>64 embeddings like the teacher's: 128-D with a per-dimension spread of about 0.1.</summary>
    private static Tensor Batch(int seed) => randn(64, 128, generator: new Generator((ulong)seed)) * 0.1f;
}
