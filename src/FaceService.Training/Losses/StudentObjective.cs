using static TorchSharp.torch;

namespace FaceService.Training.Losses;

/// <summary>One step's loss: the weighted sum that is back-propagated, and each term's value for the log.</summary>
public sealed record LossTerms(Tensor Total, double Distillation, double Mmd, double Identity);

/// <summary>
/// The method's loss: λ_d · distillation(student, teacher) + λ_mmd · MK-MMD(student batch, teacher batch)
/// + λ_id · CosFace(student, identity). A term whose weight is 0 is not computed. With
/// <see cref="LossOptions.CentreOnTargetMean"/>, distillation and the identity loss see embeddings minus the targets'
/// mean; MK-MMD is shift-invariant and sees them raw.
/// </summary>
public sealed class StudentObjective
{
    private readonly LossOptions _options;
    private readonly MultiKernelMmd _mmd;
    private readonly CosFaceHead? _identityHead;
    private readonly Tensor? _targetMean;

    /// <param name="targetMean">The teacher targets' mean, required when <see cref="LossOptions.CentreOnTargetMean"/> is set.</param>
    public StudentObjective(LossOptions options, CosFaceHead? identityHead, Tensor? targetMean = null)
    {
        if (options.CentreOnTargetMean && targetMean is null)
            throw new ArgumentException("centreOnTargetMean needs the teacher targets' mean.");
        _targetMean = options.CentreOnTargetMean ? targetMean : null;
        if (options.IdentityWeight > 0 && identityHead is null)
            throw new ArgumentException("identityWeight > 0 needs an identity head (a cache with identity labels).");
        _options = options;
        _mmd = new MultiKernelMmd(options.MmdBandwidthFactors);
        _identityHead = identityHead;
    }

    public LossTerms Compute(Tensor student, Tensor teacher, Tensor identities)
    {
        var total = zeros(1, dtype: student.dtype).squeeze();
        double distillation = 0, mmd = 0, identity = 0;
        // With centring, every term that compares directions sees the identity-bearing part, not the common component.
        var (studentView, teacherView) = _targetMean is null ? (student, teacher) : (student - _targetMean, teacher - _targetMean);
        if (_options.DistillationWeight > 0)
        {
            var term = DistillationLoss.Compute(studentView, teacherView, _options.Distillation);
            total += _options.DistillationWeight * term;
            distillation = term.item<float>();
        }

        if (_options.MmdWeight > 0)
        {
            var term = _mmd.Compute(student, teacher);
            total += _options.MmdWeight * term;
            mmd = term.item<float>();
        }

        if (_options.IdentityWeight > 0)
        {
            var term = _identityHead!.forward(studentView, identities);
            total += _options.IdentityWeight * term;
            identity = term.item<float>();
        }

        return new LossTerms(total, distillation, mmd, identity);
    }
}
