using FaceService.Nets.Layers;
using Xunit;
using static TorchSharp.torch;

namespace FaceService.Nets.Tests;

public class TensorSumTests
{
    [Fact]
    public void The_sum_is_element_wise_and_its_scalar_outlives_garbage_collections()
    {
        using var a = rand(2, 3, 4, 4, generator: new Generator(7));
        using var b = rand(2, 3, 4, 4, generator: new Generator(8));
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var sum = TensorSum.Add(a, b);
            using var expected = a.add(b);
            Assert.True(sum.allclose(expected, rtol: 0, atol: 0));
        }
    }
}
