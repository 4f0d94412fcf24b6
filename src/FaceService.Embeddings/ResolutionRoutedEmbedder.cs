using FaceService.Faces.Alignment;

namespace FaceService.Embeddings;

/// <summary>
/// Two models of one embedding space, each serving the faces it was trained for: faces whose
/// <see cref="AlignedFace.SourcePixels"/> is below <c>belowPixels</c> go to the low-resolution expert, the rest to the
/// general model. Each model embeds its faces in one call; the embeddings come back in the faces' order.
/// </summary>
/// <remarks>
/// The pair has an id of its own, so that a gallery enrolled through it is never mixed with one enrolled by either
/// model alone. Its operating points are the general model's: they are measured on HR faces, which that model serves.
/// </remarks>
public sealed class ResolutionRoutedEmbedder : IFaceEmbedder
{
    private readonly IFaceEmbedder _general;
    private readonly IFaceEmbedder _lowResolution;
    private readonly int _belowPixels;

    public ResolutionRoutedEmbedder(IFaceEmbedder general, IFaceEmbedder lowResolution, int belowPixels)
    {
        ArgumentNullException.ThrowIfNull(general);
        ArgumentNullException.ThrowIfNull(lowResolution);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(belowPixels);
        var (g, l) = (general.Model, lowResolution.Model);
        if (g.InputSize != l.InputSize || g.Dimension != l.Dimension || g.Alignment != l.Alignment)
            throw new ArgumentException(
                $"The low-resolution model {l.Id} ({l.InputSize} px, {l.Dimension}-D, {l.Alignment}) does not take the general model {g.Id}'s " +
                $"faces or give its embeddings ({g.InputSize} px, {g.Dimension}-D, {g.Alignment}): routing needs one input and one embedding space.",
                nameof(lowResolution));
        (_general, _lowResolution, _belowPixels) = (general, lowResolution, belowPixels);
        Model = g with { Id = PairId(g.Id, l.Id, belowPixels) };
    }

    /// <summary>The id embeddings of the pair are stored under: <c>general+expert&lt;Npx</c>.</summary>
    public static string PairId(string generalId, string lowResolutionId, int belowPixels) => $"{generalId}+{lowResolutionId}<{belowPixels}px";

    public EmbeddingModelInfo Model { get; }

    public float[][] Embed(IReadOnlyList<AlignedFace> faces)
    {
        ArgumentNullException.ThrowIfNull(faces);
        var embeddings = new float[faces.Count][];
        var byModel = Enumerable.Range(0, faces.Count).ToLookup(i => faces[i].SourcePixels < _belowPixels ? _lowResolution : _general);
        foreach (var group in byModel)
        {
            var indices = group.ToArray();
            var vectors = group.Key.Embed(indices.Select(i => faces[i]).ToArray());
            for (var n = 0; n < indices.Length; n++)
                embeddings[indices[n]] = vectors[n];
        }
        return embeddings;
    }
}
