using FaceService.Faces.Alignment;
using FaceService.Faces.Onnx;

namespace FaceService.Embeddings;

/// <summary>
/// An embedding model in ONNX ([N,S,S,3] NHWC RGB 0..255 in, [N,D] out) with its model card. Returns
/// L2-normalised embeddings; <see cref="EmbedRaw"/> gives the net's own output (e.g. face-api's descriptor).
/// </summary>
public sealed class OnnxFaceEmbedder : IFaceEmbedder, IDisposable
{
    private readonly OnnxModelSession _session;
    private readonly int _maxBatchSize;

    public OnnxFaceEmbedder(EmbedderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBatchSize);
        Model = EmbeddingModelCard.Load(EmbeddingModelCard.PathFor(options.ModelPath));
        _session = new OnnxModelSession(options.ModelPath, options.IntraOpThreads);
        _maxBatchSize = options.MaxBatchSize;
    }

    public EmbeddingModelInfo Model { get; }

    public float[][] Embed(IReadOnlyList<AlignedFace> faces)
    {
        var embeddings = EmbedRaw(faces);
        foreach (var embedding in embeddings)
            EmbeddingMath.NormalizeInPlace(embedding);
        return embeddings;
    }

    /// <summary>The model's output as it is, not normalised.</summary>
    public float[][] EmbedRaw(IReadOnlyList<AlignedFace> faces)
    {
        ArgumentNullException.ThrowIfNull(faces);
        var size = Model.InputSize;
        foreach (var face in faces)
            if (face.Width != size || face.Height != size)
                throw new ArgumentException($"{Model.Id} takes {size}x{size} faces, got {face.Width}x{face.Height}.", nameof(faces));

        var embeddings = new float[faces.Count][];
        for (var start = 0; start < faces.Count; start += _maxBatchSize)
        {
            var count = Math.Min(_maxBatchSize, faces.Count - start);
            var (input, inputShape) = AlignedFace.Batch(faces, start, count);
            var (output, shape) = _session.Run(input, inputShape);
            if (shape is not [var batch, var dimension] || batch != count || dimension != Model.Dimension)
                throw new InvalidOperationException($"{_session.ModelPath}: expected output [{count},{Model.Dimension}], got [{string.Join(",", shape)}].");
            for (var n = 0; n < count; n++)
                embeddings[start + n] = output.AsSpan(n * dimension, dimension).ToArray();
        }
        return embeddings;
    }

    public void Dispose() => _session.Dispose();
}
