using FaceService.Faces.Alignment;

namespace FaceService.Embeddings;

/// <summary>Face → embedding. One implementation per model file; the model describes itself.</summary>
public interface IFaceEmbedder
{
    EmbeddingModelInfo Model { get; }

    /// <summary>Embeds aligned faces of <see cref="EmbeddingModelInfo.InputSize"/> pixels square, in one inference.</summary>
    float[][] Embed(IReadOnlyList<AlignedFace> faces);
}
