using static TorchSharp.torch;

namespace FaceService.Training.Backbones;

/// <summary>Student backbones by name, as an experiment config names them.</summary>
public static class BackboneFactory
{
    public static nn.Module<Tensor, Tensor> Create(StudentOptions options) => options.Architecture.ToLowerInvariant() switch
    {
        "mobilefacenet" => MobileFaceNet.Create(options),
        _ => throw new ArgumentException($"Unknown student architecture '{options.Architecture}'. Known: mobilefacenet."),
    };
}
