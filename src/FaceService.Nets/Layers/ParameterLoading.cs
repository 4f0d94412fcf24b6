using static TorchSharp.torch;

namespace FaceService.Nets.Layers;

/// <summary>
/// Loads values into a layer's parameter or buffer. TorchSharp 0.107 frees a tensor in its finalizer and keeps
/// nothing alive across a native call, so a temporary whose last reference is an argument (<c>copy_(a.to(...))</c>)
/// can be finalized while libtorch still reads it: building the nets crashed that way now and then, in
/// <c>THSTensor_copy_</c>. A dispose scope holds every temporary the source creates until the copy is done.
/// </summary>
public static class ParameterLoading
{
    /// <summary>Copies what <paramref name="source"/> computes into <paramref name="parameter"/>, without autograd.</summary>
    public static void CopyInto(Tensor parameter, Func<Tensor> source)
    {
        using var _ = no_grad();
        using var temporaries = NewDisposeScope();
        parameter.copy_(source());
    }
}
