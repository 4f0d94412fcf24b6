using FaceService.Faces.Alignment;

namespace FaceService.Embeddings;

/// <summary>
/// Embeds each face and its mirror image in one inference and returns their normalised mean: test-time augmentation
/// that trades twice the embedding work for embeddings that no longer depend on which way the face was flipped.
/// Same model, same space: galleries and probes made with and without it stay comparable.
/// </summary>
public sealed class MirrorAveragingEmbedder(IFaceEmbedder inner) : IFaceEmbedder
{
    public EmbeddingModelInfo Model => inner.Model;

    public float[][] Embed(IReadOnlyList<AlignedFace> faces)
    {
        ArgumentNullException.ThrowIfNull(faces);
        var both = inner.Embed([.. faces, .. faces.Select(f => f.Mirrored())]);
        for (var n = 0; n < faces.Count; n++)
        {
            var (face, mirror) = (both[n], both[faces.Count + n]);
            for (var d = 0; d < face.Length; d++)
                face[d] += mirror[d];
            EmbeddingMath.NormalizeInPlace(face);
        }
        return both[..faces.Count];
    }
}
