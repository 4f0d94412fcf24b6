using FaceService.Nets.Teacher;
using FaceService.Nets.Tfjs;
using static TorchSharp.torch;

namespace FaceService.Training.Backbones;

/// <summary>Student backbones by name, as an experiment config names them.</summary>
public static class BackboneFactory
{
    public static nn.Module<Tensor, Tensor> Create(StudentOptions options) => options.Architecture.ToLowerInvariant() switch
    {
        "mobilefacenet" => MobileFaceNet.Create(options),
        "dlibresnet" => TeacherInitialised(options),
        _ => throw new ArgumentException($"Unknown student architecture '{options.Architecture}'. Known: mobilefacenet, dlibresnet."),
    };

    /// <summary>The teacher's architecture with fewer residual blocks, starting from the teacher's weights.</summary>
    private static DlibResNet TeacherInitialised(StudentOptions options)
    {
        if (string.IsNullOrEmpty(options.TeacherWeights))
            throw new ArgumentException("The dlibresnet student starts from the teacher: set student.teacherWeights to face-api's recognition manifest.");
        if (options.InputSize < DlibResNet.MinimumInputSize)
            throw new ArgumentException($"The dlibresnet student takes inputs of {DlibResNet.MinimumInputSize} px or more, not {options.InputSize}.");
        if (options.EmbeddingSize != DlibResNet.DescriptorSize)
            throw new ArgumentException($"The dlibresnet student outputs the teacher's {DlibResNet.DescriptorSize}-D embedding.");
        var student = DlibResNet.FromWeights(TfjsWeights.Load(options.TeacherWeights), options.StageRepeats);
        student.SetTrainable(true);
        return student;
    }
}
