namespace FaceService.Faces.Detection;

/// <summary>A decoded detector candidate, box relative to the original image (0..1 inside it).</summary>
public readonly record struct DetectionCandidate(int Row, int Col, int Anchor, double Score, double X, double Y, double Width, double Height)
{
    public FaceBox ToPixels(int imageWidth, int imageHeight) =>
        new(X * imageWidth, Y * imageHeight, Width * imageWidth, Height * imageHeight);
}

/// <summary>
/// face-api's tiny-YOLOv2 face decoding and non-maximum suppression, in float64 from the float32 net output
/// (golden README §3). Pure functions, so they are tested on the recorded net outputs.
/// </summary>
public static class TinyYoloDecoder
{
    /// <summary>Anchor (width, height) in grid cells, from face-api's tiny face detector config.</summary>
    public static IReadOnlyList<(double Width, double Height)> Anchors { get; } =
    [
        (1.603231, 2.094468), (6.041143, 7.080126), (2.882459, 3.518061), (4.266906, 5.178857), (9.041765, 10.66308),
    ];

    private const int ValuesPerAnchor = 5;

    /// <summary>
    /// (round(W·s/S), round(H·s/S)) with JS rounding: the size the image covers in the padded net input, which
    /// face-api uses to map boxes back to the unpadded image.
    /// </summary>
    public static (int Width, int Height) ReshapedDimensions(int imageWidth, int imageHeight, int inputSize)
    {
        var scale = inputSize / (double)Math.Max(imageWidth, imageHeight);
        return ((int)Math.Floor(imageWidth * scale + 0.5), (int)Math.Floor(imageHeight * scale + 0.5));
    }

    /// <summary>
    /// Candidates with score strictly above <paramref name="scoreThreshold"/>, in row, col, anchor order.
    /// <paramref name="output"/> is the net output [1, 25, g, g] in NCHW order (the ONNX contract).
    /// </summary>
    public static List<DetectionCandidate> Decode(
        ReadOnlySpan<float> output, int gridSize, int imageWidth, int imageHeight, int inputSize, double scoreThreshold)
    {
        var channels = Anchors.Count * ValuesPerAnchor;
        if (output.Length != channels * gridSize * gridSize)
            throw new ArgumentException($"Expected {channels}x{gridSize}x{gridSize} values, got {output.Length}.", nameof(output));

        var (reshapedWidth, reshapedHeight) = ReshapedDimensions(imageWidth, imageHeight, inputSize);
        var corrX = inputSize / (double)reshapedWidth;
        var corrY = inputSize / (double)reshapedHeight;
        var cells = gridSize * gridSize;
        var candidates = new List<DetectionCandidate>();
        for (var row = 0; row < gridSize; row++)
        for (var col = 0; col < gridSize; col++)
        for (var anchor = 0; anchor < Anchors.Count; anchor++)
        {
            var first = anchor * ValuesPerAnchor * cells + row * gridSize + col;
            var score = Sigmoid(output[first + 4 * cells]);
            if (!(score > scoreThreshold))
                continue;
            var centreX = (col + Sigmoid(output[first])) / gridSize * corrX;
            var centreY = (row + Sigmoid(output[first + cells])) / gridSize * corrY;
            var width = Math.Exp(output[first + 2 * cells]) * Anchors[anchor].Width / gridSize * corrX;
            var height = Math.Exp(output[first + 3 * cells]) * Anchors[anchor].Height / gridSize * corrY;
            candidates.Add(new DetectionCandidate(row, col, anchor, score, centreX - width / 2, centreY - height / 2, width, height));
        }
        return candidates;
    }

    /// <summary>
    /// Indices of the kept candidates in pick order (descending score). Equal scores are picked as face-api does:
    /// a stable ascending sort popped from the end, so the later candidate first.
    /// </summary>
    public static List<int> NonMaxSuppression(IReadOnlyList<DetectionCandidate> candidates, double iouThreshold)
    {
        var remaining = Enumerable.Range(0, candidates.Count).OrderBy(i => candidates[i].Score).ToList();
        var picked = new List<int>();
        while (remaining.Count > 0)
        {
            var current = remaining[^1];
            remaining.RemoveAt(remaining.Count - 1);
            picked.Add(current);
            remaining.RemoveAll(i => IntersectionOverUnion(candidates[current], candidates[i]) > iouThreshold);
        }
        return picked;
    }

    public static double IntersectionOverUnion(DetectionCandidate a, DetectionCandidate b)
    {
        var width = Math.Max(0, Math.Min(a.X + a.Width, b.X + b.Width) - Math.Max(a.X, b.X));
        var height = Math.Max(0, Math.Min(a.Y + a.Height, b.Y + b.Height) - Math.Max(a.Y, b.Y));
        var intersection = width * height;
        return intersection / (a.Width * a.Height + b.Width * b.Height - intersection);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
