namespace FaceService.Evaluation.Verification;

/// <summary>
/// One verification pair reduced to what the protocol needs: the cosine similarity of its two embeddings, whether
/// it is the same person, and its fold. Every decision rule here accepts a pair as "same" iff score &gt; threshold.
/// </summary>
public readonly record struct ScoredPair(double Score, bool IsSame, int Fold);
