namespace FaceService.Embeddings;

/// <summary>
/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations: exact to rounding and plenty fast for a
/// 128 x 128 covariance (milliseconds), so neither the gallery's PCA nor the benchmarks' face model needs a linear-algebra package.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>Eigenvalues in descending order and their unit eigenvectors (<c>Vectors[k]</c> belongs to <c>Values[k]</c>).</summary>
    public static (double[] Values, double[][] Vectors) Decompose(double[,] symmetric)
    {
        var n = symmetric.GetLength(0);
        if (symmetric.GetLength(1) != n)
            throw new ArgumentException("The matrix is not square.", nameof(symmetric));
        var a = (double[,])symmetric.Clone();
        var v = new double[n, n];
        for (var i = 0; i < n; i++)
            v[i, i] = 1;

        var scale = 0.0;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                scale += a[i, j] * a[i, j];
        for (var sweep = 0; sweep < 100; sweep++)
        {
            var offDiagonal = 0.0;
            for (var p = 0; p < n; p++)
                for (var q = p + 1; q < n; q++)
                    offDiagonal += a[p, q] * a[p, q];
            if (offDiagonal <= 1e-30 * scale)
                break;
            for (var p = 0; p < n; p++)
                for (var q = p + 1; q < n; q++)
                    if (a[p, q] != 0)
                        Rotate(a, v, p, q);
        }

        var order = Enumerable.Range(0, n).OrderByDescending(k => a[k, k]).ToArray();
        var values = order.Select(k => a[k, k]).ToArray();
        var vectors = order.Select(k => Enumerable.Range(0, n).Select(i => v[i, k]).ToArray()).ToArray();
        return (values, vectors);
    }

    /// <summary>A ← Jᵀ A J and V ← V J, with the plane rotation J in (p, q) that zeroes A[p, q].</summary>
    private static void Rotate(double[,] a, double[,] v, int p, int q)
    {
        var n = a.GetLength(0);
        var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
        var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        var c = 1 / Math.Sqrt(t * t + 1);
        var s = t * c;
        for (var k = 0; k < n; k++)
        {
            var (kp, kq) = (a[k, p], a[k, q]);
            a[k, p] = c * kp - s * kq;
            a[k, q] = s * kp + c * kq;
        }
        for (var k = 0; k < n; k++)
        {
            var (pk, qk) = (a[p, k], a[q, k]);
            a[p, k] = c * pk - s * qk;
            a[q, k] = s * pk + c * qk;
        }
        for (var k = 0; k < n; k++)
        {
            var (kp, kq) = (v[k, p], v[k, q]);
            v[k, p] = c * kp - s * kq;
            v[k, q] = s * kp + c * kq;
        }
    }
}
