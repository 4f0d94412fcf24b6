namespace FaceService.Faces.Alignment;

/// <summary>x' = a·x − b·y + tx, y' = b·x + a·y + ty: rotation, uniform scale and translation.</summary>
public readonly record struct SimilarityTransform(double A, double B, double Tx, double Ty)
{
    public double Scale => Math.Sqrt(A * A + B * B);

    public double RotationRadians => Math.Atan2(B, A);

    public Point2 Apply(Point2 p) => new(A * p.X - B * p.Y + Tx, B * p.X + A * p.Y + Ty);

    public SimilarityTransform Inverse()
    {
        var d = A * A + B * B;
        var a = A / d;
        var b = -B / d;
        return new SimilarityTransform(a, b, -(a * Tx - b * Ty), -(b * Tx + a * Ty));
    }

    /// <summary>
    /// The similarity whose parameters (a, b, tx, ty) lie the fraction <paramref name="t"/> of the way from
    /// <paramref name="from"/>'s to <paramref name="to"/>'s. A point's image is linear in the parameters, so it moves
    /// on the straight line between its images under the two.
    /// </summary>
    public static SimilarityTransform Interpolate(SimilarityTransform from, SimilarityTransform to, double t) => new(
        from.A + t * (to.A - from.A), from.B + t * (to.B - from.B), from.Tx + t * (to.Tx - from.Tx), from.Ty + t * (to.Ty - from.Ty));

    /// <summary>
    /// The least-squares similarity taking <paramref name="from"/> onto <paramref name="to"/> (no reflection;
    /// the closed form of Umeyama's method in 2-D).
    /// </summary>
    public static SimilarityTransform Fit(IReadOnlyList<Point2> from, IReadOnlyList<Point2> to)
    {
        if (from.Count != to.Count || from.Count < 2)
            throw new ArgumentException("Need at least two point pairs, equally many on both sides.");
        double fx = 0, fy = 0, tx = 0, ty = 0;
        for (var i = 0; i < from.Count; i++)
        {
            fx += from[i].X; fy += from[i].Y; tx += to[i].X; ty += to[i].Y;
        }
        fx /= from.Count; fy /= from.Count; tx /= from.Count; ty /= from.Count;

        double dot = 0, cross = 0, norm = 0;
        for (var i = 0; i < from.Count; i++)
        {
            double u = from[i].X - fx, v = from[i].Y - fy, x = to[i].X - tx, y = to[i].Y - ty;
            dot += u * x + v * y;
            cross += u * y - v * x;
            norm += u * u + v * v;
        }
        if (norm == 0)
            throw new ArgumentException("The source points all coincide.", nameof(from));
        var a = dot / norm;
        var b = cross / norm;
        return new SimilarityTransform(a, b, tx - (a * fx - b * fy), ty - (b * fx + a * fy));
    }
}
