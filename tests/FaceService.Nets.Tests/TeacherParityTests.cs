using FaceService.Nets.Acquisition;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Nets.Tests;

/// <summary>The teacher in TorchSharp and as exported ONNX reproduces every golden descriptor (max abs diff ≤ 1e-4).</summary>
public class TeacherParityTests
{
    private const double Tolerance = 1e-4;

    /// <summary>The golden recognition-net files with a 150x150 uint8 input and the reference descriptor.</summary>
    private static readonly string[] DescriptorFileNames =
    [
        "face_sample1_a.json", "face_sample2_a.json", "face_sample5_a.json", "face_sample6_b.json",
        "center_sample3.json", "synthetic_grey128.json", "synthetic_lcg.json",
    ];

    public static TheoryData<string> DescriptorFiles => new(DescriptorFileNames);

    private const string NonSquareFile = "preprocess_sample2_nonsquare.json";

    [SkippableFact]
    public void The_theory_data_covers_every_golden_descriptor_file()
    {
        Requires.Shared();
        var onDisk = Directory.GetFiles(TestPaths.GoldenDir, "*.json").Select(Path.GetFileName)
            .Where(f => f!.StartsWith("face_") || f.StartsWith("center_") || f.StartsWith("synthetic_"));
        Assert.Equal(onDisk.Order(), DescriptorFileNames.Order());
    }

    [SkippableTheory]
    [MemberData(nameof(DescriptorFiles))]
    public void TorchSharp_teacher_matches_the_descriptor(string file)
    {
        Requires.Shared();
        var (input, expected) = Case(file);
        var descriptor = Nets.RunTorch(Nets.Teacher, input, [1, 150, 150, 3]);
        Assert.InRange(Golden.MaxAbsDiff(descriptor, expected), 0, Tolerance);
    }

    [SkippableTheory]
    [MemberData(nameof(DescriptorFiles))]
    public void Onnx_teacher_matches_the_descriptor(string file)
    {
        Requires.Shared();
        var (input, expected) = Case(file);
        var descriptor = Nets.RunOnnx(Requires.Model(FaceApiModelConverter.TeacherFile), input, [1, 150, 150, 3]);
        Assert.InRange(Golden.MaxAbsDiff(descriptor, expected), 0, Tolerance);
    }

    [SkippableFact]
    public void Both_teachers_match_the_non_square_case_from_its_resized_input()
    {
        Requires.Shared();
        var golden = Golden.Load(NonSquareFile);
        var input = golden.GetProperty("resized150").GetProperty("data").Floats();
        var expected = golden.GetProperty("descriptor_tfjs_cpu").Doubles();

        Assert.InRange(Golden.MaxAbsDiff(Nets.RunTorch(Nets.Teacher, input, [1, 150, 150, 3]), expected), 0, Tolerance);
        Assert.InRange(Golden.MaxAbsDiff(Nets.RunOnnx(Requires.Model(FaceApiModelConverter.TeacherFile), input, [1, 150, 150, 3]), expected), 0, Tolerance);
    }

    [SkippableFact]
    public void Onnx_teacher_embeds_a_batch_like_single_faces()
    {
        Requires.Shared();
        var (first, expectedFirst) = Case("face_sample1_a.json");
        var (second, expectedSecond) = Case("synthetic_lcg.json");
        var batch = Nets.RunOnnx(Requires.Model(FaceApiModelConverter.TeacherFile), [.. first, .. second], [2, 150, 150, 3]);

        Assert.InRange(Golden.MaxAbsDiff(batch[..128], expectedFirst), 0, Tolerance);
        Assert.InRange(Golden.MaxAbsDiff(batch[128..], expectedSecond), 0, Tolerance);
    }

    [Fact]
    public void Teacher_is_frozen_by_default_and_can_be_unfrozen_for_fine_tuning()
    {
        var teacher = Teacher.DlibResNet.FromWeights(Nets.Weights(FaceApiPackage.RecognitionManifest));
        Assert.False(teacher.training);
        Assert.All(teacher.parameters(), p => Assert.False(p.requires_grad));
        teacher.SetTrainable(true);
        Assert.All(teacher.parameters(), p => Assert.True(p.requires_grad));
        Assert.Equal(5_614_592 - FoldedScaleParameters, teacher.parameters().Sum(p => p.numel()));
    }

    /// <summary>
    /// face-api's 5,614,592 parameters include a per-channel scale and shift after each of the 29 convolutions
    /// (dlib's folded batch norm); the port folds them into the convolutions.
    /// </summary>
    private const long FoldedScaleParameters = 2 * (32 + 6 * 32 + 8 * 64 + 6 * 128 + 8 * 256);

    private static (float[] Input, double[] Descriptor) Case(string file)
    {
        var golden = Golden.Load(file);
        return (golden.GetProperty("input").GetProperty("data").Pixels(), golden.GetProperty("descriptor").Doubles());
    }
}
