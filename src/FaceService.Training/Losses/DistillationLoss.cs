using static TorchSharp.torch;

namespace FaceService.Training.Losses;

/// <summary>Pulls each student embedding onto the teacher's embedding of the same face (cached HR target).</summary>
public static class DistillationLoss
{
    public static Tensor Compute(Tensor student, Tensor teacher, DistillationDistance distance) => distance switch
    {
        DistillationDistance.Cosine => (1 - nn.functional.cosine_similarity(student, teacher, dim: 1)).mean(),
        DistillationDistance.L2 => (student - teacher).pow(2).sum(1).mean(),
        _ => throw new ArgumentOutOfRangeException(nameof(distance), distance, null),
    };
}
