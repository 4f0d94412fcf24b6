using TorchSharp;
using static TorchSharp.torch;

namespace FaceService.Training.Backbones;

/// <summary>
/// The model-file contract's input side: NHWC RGB 0..255 in, NCHW (x - 127.5) / 128 out, so callers feed the
/// same aligned crop to every embedder and normalisation lives inside the graph.
/// </summary>
public sealed class PixelInput : nn.Module<Tensor, Tensor>
{
    public const float Mean = 127.5f;
    public const float Scale = 1f / 128f;

    public PixelInput(string name) : base(name)
    {
    }

    public override Tensor forward(Tensor input)
    {
        using var nchw = input.permute(0, 3, 1, 2);
        using var centred = nchw - Mean;
        return centred * Scale;
    }
}
