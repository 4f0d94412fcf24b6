using FaceService.Nets.Acquisition;
using FaceService.Nets.Landmarks;
using FaceService.TestSupport;
using TorchSharp;
using Xunit;

namespace FaceService.Nets.Tests;

/// <summary>Both landmark nets on every golden face's 8-bit 112x112 input reproduce face-api's raw 136 outputs.</summary>
public class LandmarkParityTests
{
    // Outputs are relative coordinates of order 1; the README expects ~1e-5 relative.
    private const double Tolerance = 1e-5;

    public static TheoryData<int, bool> Cases =>
        new() { { 1, false }, { 2, false }, { 3, false }, { 4, false }, { 5, false }, { 6, false },
                { 1, true }, { 2, true }, { 3, true }, { 4, true }, { 5, true }, { 6, true } };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void TorchSharp_landmarks_match_the_raw_output(int sample, bool tiny)
    {
        Requires.Shared();
        var net = tiny ? Nets.LandmarksTiny : Nets.Landmarks;
        foreach (var (input, expected) in Faces(sample, tiny))
            Assert.InRange(Golden.MaxAbsDiff(Nets.RunTorch(net, input, [1, 112, 112, 3]), expected), 0, Tolerance);
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Onnx_landmarks_match_the_raw_output_in_one_batch(int sample, bool tiny)
    {
        Requires.Shared();
        var faces = Faces(sample, tiny);
        var model = Requires.Model(tiny ? FaceApiModelConverter.Landmarks68TinyFile : FaceApiModelConverter.Landmarks68File);
        var output = Nets.RunOnnx(model, faces.SelectMany(f => f.Input).ToArray(), [faces.Count, 112, 112, 3]);
        for (var k = 0; k < faces.Count; k++)
            Assert.InRange(Golden.MaxAbsDiff(output[(k * 136)..((k + 1) * 136)], faces[k].Expected), 0, Tolerance);
    }

    [Fact]
    public void Full_and_tiny_nets_have_face_apis_architecture()
    {
        var full = FaceLandmark68Net.FromWeights(Nets.Weights(FaceApiPackage.Landmark68Manifest));
        var tiny = FaceLandmark68Net.FromWeights(Nets.Weights(FaceApiPackage.Landmark68TinyManifest));
        Assert.Equal(4, full.named_children().Single().module.named_children().Count(c => c.name.StartsWith("dense")));
        Assert.Equal(3, tiny.named_children().Single().module.named_children().Count(c => c.name.StartsWith("dense")));
    }

    private static List<(float[] Input, double[] Expected)> Faces(int sample, bool tiny) =>
        Golden.Load($"detect_sample{sample}.json").GetProperty("faces").EnumerateArray()
            .Select(face => (
                face.GetProperty("landmarkInput112").GetProperty("u8Base64").Pixels(),
                face.GetProperty(tiny ? "landmarks68tiny" : "landmarks68").GetProperty("rawOutput_u8Input").Doubles()))
            .ToList();
}
