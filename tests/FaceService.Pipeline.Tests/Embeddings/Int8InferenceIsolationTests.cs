using System.Runtime.CompilerServices;
using FaceService.Embeddings;
using FaceService.Faces.Alignment;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Embeddings;

/// <summary>
/// An int8 inference must not turn a later null dereference on the same thread into a process crash (see
/// FaceService.Faces.Onnx.InferenceThreads). Before inference moved to its own threads, this test killed the test host
/// on this project's AMX-capable CPUs every time; on a CPU without AMX it passes either way.
/// </summary>
public class Int8InferenceIsolationTests
{
    [Fact]
    public void A_null_dereference_after_an_int8_inference_is_an_ordinary_exception()
    {
        using var student = new OnnxFaceEmbedder(new EmbedderOptions { ModelPath = Requires.Model(ShippedStudentTests.StudentFile) });
        var size = student.Model.InputSize;
        Assert.Single(student.Embed([new AlignedFace(size, size, new float[size * size * 3])]));

        var caught = 0;
        for (var i = 0; i < 100; i++)
        {
            try
            {
                LengthOf(null);
            }
            catch (NullReferenceException)
            {
                caught++;
            }
        }

        Assert.Equal(100, caught);
    }

    /// <summary>Not inlined, so that the JIT reads through the null reference (a hardware fault) instead of folding it away.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int LengthOf(int[]? values) => values!.Length;
}
