using FaceService.Embeddings;

namespace FaceService.Gallery;

/// <summary>
/// An L2-normalised embedding and the id of the model that produced it. Embeddings of different models live in
/// different spaces, so the id travels with the vector and the gallery never compares across ids.
/// Normalised once here, a cosine similarity is a plain dot product everywhere else.
/// </summary>
public sealed class ModelEmbedding
{
    private ModelEmbedding(string modelId, float[] vector)
    {
        ModelId = modelId;
        Vector = vector;
    }

    public string ModelId { get; }

    /// <summary>Unit length. Callers must not modify it.</summary>
    public float[] Vector { get; }

    public int Dimension => Vector.Length;

    /// <summary>Copies <paramref name="embedding"/> as an embedder returned it and scales it to unit length.</summary>
    public static ModelEmbedding Normalize(string modelId, ReadOnlySpan<float> embedding)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        if (embedding.IsEmpty)
            throw new ArgumentException("An embedding needs at least one value.", nameof(embedding));
        var norm = EmbeddingMath.Norm(embedding);
        if (!(norm > 0) || !float.IsFinite(norm))
            throw new ArgumentException("An embedding with zero or non-finite length has no direction to compare.", nameof(embedding));
        return new ModelEmbedding(modelId, EmbeddingMath.Normalized(embedding));
    }

    /// <summary>A vector that a store wrote already normalised; kept bit for bit, refused if it is not unit length.</summary>
    internal static ModelEmbedding FromStored(string modelId, float[] vector)
    {
        var norm = EmbeddingMath.Norm(vector);
        if (!(MathF.Abs(norm - 1f) < 1e-3f))
            throw new InvalidDataException($"A stored embedding of model '{modelId}' has length {norm}; stored embeddings are unit length.");
        return new ModelEmbedding(modelId, vector);
    }

    /// <summary>Cosine similarity; refuses embeddings of two different models.</summary>
    public double CosineSimilarity(ModelEmbedding other)
    {
        if (other.ModelId != ModelId)
            throw new ModelMismatchException(ModelId, [other.ModelId]);
        if (other.Dimension != Dimension)
            throw new ArgumentException($"Embeddings of model {ModelId} have {Dimension} values, got {other.Dimension}.", nameof(other));
        return EmbeddingMath.Dot(Vector, other.Vector);
    }
}
