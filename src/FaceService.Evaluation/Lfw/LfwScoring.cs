using FaceService.Embeddings;
using FaceService.Evaluation.Reports;
using FaceService.Evaluation.Verification;

namespace FaceService.Evaluation.Lfw;

/// <summary>Pairs → cosine scores under one protocol at one size (null = HR for both images).</summary>
public static class LfwScoring
{
    /// <summary>
    /// Each pair's first image is looked up in <paramref name="firstImages"/> and its second in
    /// <paramref name="secondImages"/>: the same embeddings for one model; for a cross-model run, the gallery model's
    /// HR embeddings and the probe model's, which share one embedding space.
    /// </summary>
    public static IReadOnlyList<ScoredPair> Score(
        LfwPairList pairs, ResolutionEmbeddings firstImages, ResolutionEmbeddings secondImages, PairProtocol protocol, int? size)
    {
        var (firstSize, secondSize) = protocol switch
        {
            PairProtocol.HrHr => ((int?)null, (int?)null),
            PairProtocol.LrLr => (size, size),
            PairProtocol.HrLr => (null, size),
            _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
        };
        if (protocol != PairProtocol.HrHr && size is null)
            throw new ArgumentException($"{protocol} needs a low-resolution size.", nameof(size));

        // Embeddings are unit vectors, so the cosine is their dot product.
        return pairs.Pairs.Select(p => new ScoredPair(
            EmbeddingMath.Dot(firstImages.Get(p.FirstImage, firstSize), secondImages.Get(p.SecondImage, secondSize)),
            p.IsSame, p.Fold)).ToList();
    }
}
