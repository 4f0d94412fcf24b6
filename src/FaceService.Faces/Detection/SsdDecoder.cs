namespace FaceService.Faces.Detection;

/// <summary>
/// One SSD anchor's output: its index, face score and box (top, left, bottom, right) relative to the padded square
/// net input, as face-detector-ssd.onnx gives it.
/// </summary>
public readonly record struct SsdCandidate(int Anchor, double Score, double Top, double Left, double Bottom, double Right);

/// <summary>
/// face-api's SSD post-processing (SsdMobilenetv1.locateFaces and its nonMaxSuppression), in float64 from the float32
/// net output. Pure functions, so they are tested on synthetic outputs and on face-api's recorded results.
/// </summary>
public static class SsdDecoder
{
    public const int ValuesPerAnchor = 5;

    /// <summary>Anchors whose score is strictly above <paramref name="minConfidence"/>, in anchor order.</summary>
    /// <param name="output">The net output <c>[1, A, 5]</c>: per anchor top, left, bottom, right, score.</param>
    public static List<SsdCandidate> Candidates(ReadOnlySpan<float> output, double minConfidence)
    {
        if (output.Length == 0 || output.Length % ValuesPerAnchor != 0)
            throw new ArgumentException($"Expected a whole number of {ValuesPerAnchor}-value anchors, got {output.Length} values.", nameof(output));
        var candidates = new List<SsdCandidate>();
        for (var anchor = 0; anchor < output.Length / ValuesPerAnchor; anchor++)
        {
            var values = output.Slice(anchor * ValuesPerAnchor, ValuesPerAnchor);
            if (values[4] > minConfidence)
                candidates.Add(new SsdCandidate(anchor, values[4], values[0], values[1], values[2], values[3]));
        }
        return candidates;
    }

    /// <summary>
    /// Indices of the kept candidates, best score first, at most <paramref name="maxResults"/>: greedily, a candidate is
    /// dropped when its IoU with an already kept one is strictly above <paramref name="iouThreshold"/>. Equal scores keep
    /// their input order (face-api's stable sort).
    /// </summary>
    public static List<int> NonMaxSuppression(IReadOnlyList<SsdCandidate> candidates, double iouThreshold, int maxResults)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxResults);
        var order = Enumerable.Range(0, candidates.Count).OrderByDescending(i => candidates[i].Score).ToList();
        var kept = new List<int>();
        foreach (var i in order)
        {
            if (kept.Count >= maxResults)
                break;
            if (kept.All(k => IntersectionOverUnion(candidates[i], candidates[k]) <= iouThreshold))
                kept.Add(i);
        }
        return kept;
    }

    /// <summary>face-api's IoU: corners re-ordered, and 0 when either box has no area.</summary>
    public static double IntersectionOverUnion(SsdCandidate a, SsdCandidate b)
    {
        var (aTop, aBottom) = (Math.Min(a.Top, a.Bottom), Math.Max(a.Top, a.Bottom));
        var (aLeft, aRight) = (Math.Min(a.Left, a.Right), Math.Max(a.Left, a.Right));
        var (bTop, bBottom) = (Math.Min(b.Top, b.Bottom), Math.Max(b.Top, b.Bottom));
        var (bLeft, bRight) = (Math.Min(b.Left, b.Right), Math.Max(b.Left, b.Right));
        var areaA = (aBottom - aTop) * (aRight - aLeft);
        var areaB = (bBottom - bTop) * (bRight - bLeft);
        if (areaA <= 0 || areaB <= 0)
            return 0;
        var intersection = Math.Max(Math.Min(aBottom, bBottom) - Math.Max(aTop, bTop), 0) * Math.Max(Math.Min(aRight, bRight) - Math.Max(aLeft, bLeft), 0);
        return intersection / (areaA + areaB - intersection);
    }

    /// <summary>
    /// The box in image pixels, as face-api maps it: clipped to the padded input (0..1), scaled by input size over the
    /// size the image covers in it (undoing the bottom/right padding), then by the image size.
    /// </summary>
    public static FaceBox ToPixels(SsdCandidate candidate, int imageWidth, int imageHeight, int inputSize)
    {
        var (reshapedWidth, reshapedHeight) = TinyYoloDecoder.ReshapedDimensions(imageWidth, imageHeight, inputSize);
        var scaleX = inputSize / (double)reshapedWidth;
        var scaleY = inputSize / (double)reshapedHeight;
        var top = Math.Max(0, candidate.Top) * scaleY;
        var bottom = Math.Min(1, candidate.Bottom) * scaleY;
        var left = Math.Max(0, candidate.Left) * scaleX;
        var right = Math.Min(1, candidate.Right) * scaleX;
        return new FaceBox(left * imageWidth, top * imageHeight, (right - left) * imageWidth, (bottom - top) * imageHeight);
    }
}
