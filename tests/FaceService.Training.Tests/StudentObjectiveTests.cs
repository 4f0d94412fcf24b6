using FaceService.Training.Losses;
using Xunit;
using static TorchSharp.torch;

namespace FaceService.Training.Tests;

public class StudentObjectiveTests
{
    private static readonly LossOptions DistillationOnly = new() { MmdWeight = 0 };

    [Fact]
    public void Centring_exposes_identity_differences_hidden_by_a_shared_component()
    {
        using var scope = NewDisposeScope();
        // Teacher-like targets: a large shared component plus a small per-face part; the student gets each
        // face's per-face part wrong (the other face's), which raw cosine barely notices.
        var common = full(1, 8, 1.0f);
        var perFace = eye(2, 8) * 0.3f;
        var teacher = common + perFace;
        var student = common + perFace.flip(0);
        var identities = tensor(new long[] { -1, -1 });

        var raw = new StudentObjective(DistillationOnly, null).Compute(student, teacher, identities).Distillation;
        var centred = new StudentObjective(DistillationOnly with { CentreOnTargetMean = true }, null, common.squeeze(0))
            .Compute(student, teacher, identities).Distillation;

        Assert.True(raw < 0.1, $"raw cosine loss {raw}");
        Assert.InRange(centred, 0.99, 1.01); // centred, student and teacher are orthogonal: 1 - cos = 1
    }

    [Fact]
    public void Centring_requires_the_target_mean()
    {
        Assert.Throws<ArgumentException>(() => new StudentObjective(DistillationOnly with { CentreOnTargetMean = true }, null));
    }
}
