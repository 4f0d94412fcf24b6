using FaceService.Nets.Acquisition;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Nets.Tests;

/// <summary>
/// The tiny face detector on the golden 8-bit 416x416 inputs (<c>netCheck416</c>) reproduces face-api's raw grid.
/// The golden grid is NHWC [1,13,13,25]; the nets output NCHW [1,25,13,13].
/// </summary>
public class DetectorParityTests
{
    // The README expects ~1e-5 relative (float32 summation order); logits reach about 10 in magnitude.
    private const double Tolerance = 1e-4;
    private const int Size = 416, Grid = 13, Channels = 25;

    public static TheoryData<int> Samples => [1, 2, 3, 4, 5, 6];

    [SkippableTheory]
    [MemberData(nameof(Samples))]
    public void TorchSharp_detector_matches_the_raw_grid(int sample)
    {
        Requires.Shared();
        var (input, expected) = Case(sample);
        Assert.InRange(Golden.MaxAbsDiff(NchwToNhwc(Nets.RunTorch(Nets.Detector, input, [1, Size, Size, 3])), expected), 0, Tolerance);
    }

    [SkippableTheory]
    [MemberData(nameof(Samples))]
    public void Onnx_detector_matches_the_raw_grid(int sample)
    {
        Requires.Shared();
        var (input, expected) = Case(sample);
        var output = Nets.RunOnnx(Requires.Model(FaceApiModelConverter.DetectorFile), input, [1, Size, Size, 3]);
        Assert.InRange(Golden.MaxAbsDiff(NchwToNhwc(output), expected), 0, Tolerance);
    }

    [Fact]
    public void Onnx_detector_accepts_other_multiples_of_32()
    {
        var model = Requires.Model(FaceApiModelConverter.DetectorFile);
        var random = new Random(7);
        foreach (var size in new[] { 224, 320, 608 })
        {
            var input = Enumerable.Range(0, size * size * 3).Select(_ => (float)random.Next(256)).ToArray();
            var onnx = Nets.RunOnnx(model, input, [1, size, size, 3]);
            var torch = Nets.RunTorch(Nets.Detector, input, [1, size, size, 3]);
            Assert.Equal(Channels * (size / 32) * (size / 32), onnx.Length);
            Assert.InRange(Golden.MaxAbsDiff(onnx, torch.Select(v => (double)v).ToArray()), 0, Tolerance);
        }
    }

    private static (float[] Input, double[] RawNhwc) Case(int sample)
    {
        var check = Golden.Load($"detect_sample{sample}.json").GetProperty("netCheck416");
        return (check.GetProperty("inputU8Base64").Pixels(), check.GetProperty("rawOutput").Doubles());
    }

    private static float[] NchwToNhwc(float[] nchw)
    {
        var nhwc = new float[nchw.Length];
        for (var c = 0; c < Channels; c++)
            for (var y = 0; y < Grid; y++)
                for (var x = 0; x < Grid; x++)
                    nhwc[(y * Grid + x) * Channels + c] = nchw[(c * Grid + y) * Grid + x];
        return nhwc;
    }
}
