namespace FaceService.Training.Losses;

/// <summary>Where the identity loss's class centres come from.</summary>
public enum IdentityCentres
{
    /// <summary>One centre per identity, learnt with the student (CosFace as published).</summary>
    Learnt,

    /// <summary>
    /// Fixed: each identity's mean teacher target over its crops and their mirrors. The loss then pulls a degraded
    /// face toward its person's centre in the teacher's own space, rather than toward centres of the loss's making.
    /// </summary>
    TeacherMeans,
}

public enum DistillationDistance
{
    /// <summary>1 − cos(student, teacher): matches directions, which is all the product compares.</summary>
    Cosine,

    /// <summary>|student − teacher|²: also matches the teacher's norms.</summary>
    L2,
}

/// <summary>The loss block of an experiment config: which terms, with which weights.</summary>
public sealed record LossOptions
{
    public DistillationDistance Distillation { get; init; } = DistillationDistance.Cosine;

    public double DistillationWeight { get; init; } = 1.0;

    /// <summary>
    /// Distil around the teacher targets' mean: raw teacher descriptors of different people share a large common
    /// component (cosine ≈ 0.85), so on raw vectors a small loss still leaves the identity-bearing part unlearnt.
    /// </summary>
    public bool CentreOnTargetMean { get; init; }

    /// <summary>Weight of MK-MMD between student and teacher output batches; 0 switches it off (an ablation).</summary>
    public double MmdWeight { get; init; } = 1.0;

    /// <summary>Gaussian bandwidths as multiples of the joint batch's median squared pairwise distance.</summary>
    public IReadOnlyList<double> MmdBandwidthFactors { get; init; } = [0.25, 0.5, 1.0, 2.0, 4.0];

    /// <summary>Weight of the CosFace identity loss on labelled samples; 0 switches it off.</summary>
    public double IdentityWeight { get; init; }

    public IdentityCentres IdentityCentres { get; init; } = IdentityCentres.Learnt;

    public double IdentityMargin { get; init; } = 0.35;

    public double IdentityScale { get; init; } = 32.0;
}
