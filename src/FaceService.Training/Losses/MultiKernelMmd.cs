using static TorchSharp.torch;

namespace FaceService.Training.Losses;

/// <summary>
/// Multi-kernel maximum mean discrepancy between two batches of embeddings (Gretton et al. 2012; Long et al. 2015).
/// <para>
/// Kernel: the mean of Gaussian kernels k_i(a, b) = exp(-|a - b|² / (f_i · m)), where m is the median squared
/// pairwise distance over the joint batch (both batches together, off-diagonal pairs) and f_i are the configured
/// bandwidth factors. m is detached: the bandwidth follows the data but is not a path for the gradient, so the net
/// cannot lower the loss by spreading its outputs.
/// </para>
/// <para>
/// Estimator: the biased V-statistic MMD² = mean(Kxx) + mean(Kyy) − 2·mean(Kxy), diagonals included. It is a
/// squared RKHS norm, hence never negative and exactly 0 for identical batches; its O(1/n) bias is the same
/// for every batch of a run and does not move the minimum. (The unbiased U-statistic drops the diagonals and goes
/// negative on close batches, which makes a poor loss term for small batches.)
/// </para>
/// </summary>
public sealed class MultiKernelMmd
{
    private readonly double[] _bandwidthFactors;

    public MultiKernelMmd(IReadOnlyList<double> bandwidthFactors)
    {
        if (bandwidthFactors.Count == 0 || bandwidthFactors.Any(f => f <= 0))
            throw new ArgumentException("MK-MMD needs at least one positive bandwidth factor.");
        _bandwidthFactors = bandwidthFactors.ToArray();
    }

    /// <summary>MMD² between the rows of <paramref name="x"/> [n, d] and <paramref name="y"/> [n, d], a scalar.</summary>
    public Tensor Compute(Tensor x, Tensor y)
    {
        var n = x.shape[0];
        if (n < 2 || y.shape[0] != n)
            throw new ArgumentException("MK-MMD needs two batches of the same size, at least 2 rows each.");

        var joint = cat([x, y], 0);
        var squaredNorms = joint.pow(2).sum(1, keepdim: true);
        // |a - b|² = |a|² + |b|² - 2 a·b, without the square root whose gradient is undefined at 0.
        var squaredDistances = (squaredNorms + squaredNorms.t() - 2 * joint.matmul(joint.t())).clamp_min(0);

        Tensor median;
        using (no_grad())
        {
            var offDiagonal = ones(2 * n, 2 * n, dtype: ScalarType.Bool).triu(1);
            median = squaredDistances.masked_select(offDiagonal).median().clamp_min(1e-12);
        }

        var kernel = _bandwidthFactors
            .Select(f => (-squaredDistances / (median * f)).exp())
            .Aggregate((sum, k) => sum + k) / _bandwidthFactors.Length;
        return Reduce(kernel, n);
    }

    private static Tensor Reduce(Tensor kernel, long n)
    {
        var xx = kernel.narrow(0, 0, n).narrow(1, 0, n).mean();
        var yy = kernel.narrow(0, n, n).narrow(1, n, n).mean();
        var xy = kernel.narrow(0, 0, n).narrow(1, n, n).mean();
        return xx + yy - 2 * xy;
    }
}
