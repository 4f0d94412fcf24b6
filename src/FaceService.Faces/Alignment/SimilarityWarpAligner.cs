using FaceService.Faces.Imaging;

namespace FaceService.Faces.Alignment;

/// <summary>
/// Warps the face so the template's landmark points best fit their targets in the least-squares sense, at any output
/// size. Rotation is undone, unlike face-api's axis-aligned crop. The template says which points and where
/// (<see cref="FaceTemplate.Default"/> unless given).
/// </summary>
/// <remarks>
/// Bilinear sampling, zeros outside the image. When the crop shrinks the face (more than one image pixel per output
/// pixel), each output pixel averages k×k bilinear samples over its footprint, k = ceil(scale), so large faces do not
/// alias (dlib's chips use an image pyramid for the same reason). Plain double arithmetic in a fixed order: the same
/// input gives the same floats.
/// </remarks>
public sealed class SimilarityWarpAligner(FaceTemplate template) : IFaceAligner
{
    public SimilarityWarpAligner() : this(FaceTemplate.Default) { }

    public FaceTemplate Template { get; } = template;

    public AlignmentKind Kind => AlignmentKind.SimilarityWarp;

    /// <summary>
    /// The transform from output pixels to image pixels for these landmarks: the least-squares fit of the template's
    /// points, or, when the template holds the eyes (<see cref="FaceTemplate.EyeTolerancePixels"/> = ε) and that fit
    /// puts an eye centre more than ε output pixels off its target, a fit between it and the eyes-only fit.
    /// </summary>
    /// <remarks>
    /// In image-to-output parameters θ = (a, b, tx, ty) an eye's output position is linear in θ. Let θ_e be the exact
    /// fit of the two eye centres and θ_ls the inverse of the least-squares fit. On θ(λ) = θ_e + λ(θ_ls − θ_e) each
    /// eye's offset is λ·r_j, r_j its offset under θ_ls (θ_e puts it exactly on target), so λ = ε / max r_j is the
    /// farthest point of the segment that holds both eyes. That is a feasible point chosen along one line, not the
    /// least-squares optimum under the two eye constraints (which would trade the eyes' directions too).
    /// </remarks>
    public SimilarityTransform OutputToImage(FaceLandmarks landmarks, int size)
    {
        var targets = Template.TargetPixels(size);
        var sources = Template.SourcePoints(landmarks);
        var leastSquares = SimilarityTransform.Fit(targets, sources);
        if (Template is not { EyeTolerancePixels: { } tolerance, EyePointIndices: var (left, right) })
            return leastSquares;

        var imageToOutput = leastSquares.Inverse();
        var worstEyeOffset = Math.Max(
            Point2.Distance(imageToOutput.Apply(sources[left]), targets[left]),
            Point2.Distance(imageToOutput.Apply(sources[right]), targets[right]));
        if (worstEyeOffset <= tolerance)
            return leastSquares;
        var eyesOnly = SimilarityTransform.Fit([sources[left], sources[right]], [targets[left], targets[right]]);
        return SimilarityTransform.Interpolate(eyesOnly, imageToOutput, tolerance / worstEyeOffset).Inverse();
    }

    public AlignedFace? Align(RgbImage image, FaceLandmarks landmarks, int size)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        return Warp(image, OutputToImage(landmarks, size), size);
    }

    /// <summary>
    /// The <paramref name="size"/> x <paramref name="size"/> crop whose pixel (u, v) samples the image at
    /// <paramref name="outputToImage"/>(u, v); its side spans scale x size image pixels.
    /// </summary>
    public static AlignedFace Warp(RgbImage image, SimilarityTransform outputToImage, int size)
    {
        var samplesPerAxis = Math.Max(1, (int)Math.Ceiling(outputToImage.Scale - 1e-9));
        var weight = 1.0 / (samplesPerAxis * samplesPerAxis);
        var pixels = new float[size * size * 3];
        Span<double> sum = stackalloc double[3];
        for (var row = 0; row < size; row++)
        for (var col = 0; col < size; col++)
        {
            sum.Clear();
            for (var j = 0; j < samplesPerAxis; j++)
            for (var i = 0; i < samplesPerAxis; i++)
            {
                var u = col + (i + 0.5) / samplesPerAxis - 0.5;
                var v = row + (j + 0.5) / samplesPerAxis - 0.5;
                var p = outputToImage.Apply(new Point2(u, v));
                AddBilinear(image, p.X, p.Y, sum);
            }
            var o = (row * size + col) * 3;
            pixels[o] = (float)(sum[0] * weight);
            pixels[o + 1] = (float)(sum[1] * weight);
            pixels[o + 2] = (float)(sum[2] * weight);
        }
        return new AlignedFace(size, size, pixels, outputToImage.Scale * size);
    }

    private static void AddBilinear(RgbImage image, double x, double y, Span<double> sum)
    {
        var x0 = (int)Math.Floor(x);
        var y0 = (int)Math.Floor(y);
        var fx = x - x0;
        var fy = y - y0;
        AddTap(image, x0, y0, (1 - fx) * (1 - fy), sum);
        AddTap(image, x0 + 1, y0, fx * (1 - fy), sum);
        AddTap(image, x0, y0 + 1, (1 - fx) * fy, sum);
        AddTap(image, x0 + 1, y0 + 1, fx * fy, sum);
    }

    private static void AddTap(RgbImage image, int x, int y, double weight, Span<double> sum)
    {
        if ((uint)x >= (uint)image.Width || (uint)y >= (uint)image.Height || weight == 0)
            return;
        var i = (y * image.Width + x) * 3;
        sum[0] += image.Pixels[i] * weight;
        sum[1] += image.Pixels[i + 1] * weight;
        sum[2] += image.Pixels[i + 2] * weight;
    }
}
