using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Training.Losses;

/// <summary>
/// CosFace (Wang et al., 2018) identity loss: softmax over s·(cos θ_j − m·[j = label]) between the L2-normalised
/// embedding and one learnt centre per identity. Training only; it is not part of the exported student.
/// Unlabelled samples (label −1) are ignored; a batch without labels contributes 0. The centres are learnt, or given
/// and fixed (<see cref="IdentityCentres.TeacherMeans"/>).
/// </summary>
public sealed class CosFaceHead : nn.Module<Tensor, Tensor, Tensor>
{
    public const long Unlabelled = -1;

    private readonly Parameter centres;
    private readonly double _margin;
    private readonly double _scale;

    public CosFaceHead(int embeddingSize, int identities, double margin, double scale)
        : this(nn.init.normal_(empty(identities, embeddingSize), std: 0.01), learnt: true, margin, scale)
    {
    }

    /// <summary>A head whose centres are fixed: [identities, embedding size], one row per identity.</summary>
    public static CosFaceHead WithFixedCentres(Tensor centres, double margin, double scale) => new(centres, learnt: false, margin, scale);

    private CosFaceHead(Tensor centres, bool learnt, double margin, double scale) : base(nameof(CosFaceHead))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(centres.shape[0], 2);
        this.centres = nn.Parameter(centres, requires_grad: learnt);
        _margin = margin;
        _scale = scale;
        RegisterComponents();
    }

    public override Tensor forward(Tensor embeddings, Tensor labels)
    {
        var labelled = labels.ne(Unlabelled);
        if (!labelled.any().item<bool>())
            return zeros(1, dtype: embeddings.dtype).squeeze();

        var cosines = nn.functional.normalize(embeddings, dim: 1).matmul(nn.functional.normalize(centres, dim: 1).t());
        var margin = nn.functional.one_hot(labels.clamp_min(0), cosines.shape[1]).to(cosines.dtype) * _margin;
        var logits = (cosines - margin) * _scale;
        return nn.functional.cross_entropy(logits, labels, ignore_index: Unlabelled);
    }
}
