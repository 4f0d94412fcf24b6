using TorchSharp;
using static TorchSharp.torch;

namespace FaceService.Nets.Layers;

/// <summary>
/// The element-wise sum for layers' forward passes. TorchSharp 0.107's <c>a + b</c> passes a temporary
/// <see cref="Scalar"/> alpha = 1 to native code. A Scalar frees its native memory in its finalizer and nothing keeps
/// that temporary alive during the call, so a garbage collection at the wrong moment frees it while libtorch reads it:
/// training crashed that way now and then, in <c>c10::Scalar::toFloat</c> ("Expected false to be true") inside a
/// residual add. A Scalar held for the process's lifetime is never finalized.
/// </summary>
public static class TensorSum
{
    private static readonly Scalar One = 1.ToScalar();

    public static Tensor Add(Tensor a, Tensor b) => a.add(b, One);
}
