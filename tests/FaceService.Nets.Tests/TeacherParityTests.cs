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

    [Fact]
    public void An_unfrozen_teacher_trains_end_to_end()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var teacher = Teacher.DlibResNet.FromWeights(Nets.Weights(FaceApiPackage.RecognitionManifest));
        teacher.SetTrainable(true);
        teacher.train();
        using var input = TorchSharp.torch.rand(2, 150, 150, 3) * 255;
        using var loss = teacher.forward(input).square().sum();
        loss.backward();

        // Every parameter, from the first convolution to the last dense layer, receives a gradient.
        Assert.All(teacher.named_parameters(), p =>
        {
            Assert.NotNull(p.parameter.grad);
            Assert.True(p.parameter.grad!.abs().sum().item<float>() > 0, $"{p.name} got a zero gradient");
        });
    }

    [Fact]
    public void A_net_with_fewer_blocks_keeps_the_teachers_weights_of_every_block_it_keeps()
    {
        var weights = Nets.Weights(FaceApiPackage.RecognitionManifest);
        var teacher = Teacher.DlibResNet.FromWeights(weights).named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var pruned = Teacher.DlibResNet.FromWeights(weights, [0, 1, 0, 1]).named_parameters().ToList();

        Assert.All(pruned, p => Assert.True(p.parameter.eq(teacher[p.name]).all().item<bool>(), $"{p.name} differs from the teacher's"));
        // Dropped: three 32-, two 64-, two 128- and one 256-channel residual blocks, each two 3x3 convs with bias.
        long Block(int c) => 2 * (9L * c * c + c);
        Assert.Equal(teacher.Values.Sum(p => p.numel()) - 3 * Block(32) - 2 * Block(64) - 2 * Block(128) - Block(256),
            pruned.Sum(p => p.parameter.numel()));
        Assert.DoesNotContain(pruned, p => p.name.Contains("conv32_1") || p.name.Contains("conv128_1"));
    }

    [Theory]
    [InlineData(new[] { 4, 3, 2, 2 })]
    [InlineData(new[] { 3, 3, 2, -1 })]
    [InlineData(new[] { 3, 3, 2 })]
    public void Stage_blocks_the_teacher_does_not_have_are_refused(int[] stageBlocks)
    {
        var weights = Nets.Weights(FaceApiPackage.RecognitionManifest);
        var error = Assert.Throws<ArgumentException>(() => Teacher.DlibResNet.FromWeights(weights, stageBlocks));
        Assert.Contains("[3, 3, 2, 2]", error.Message);
    }

    [Fact]
    public void The_net_runs_at_its_minimum_input_size()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var net = Teacher.DlibResNet.FromWeights(Nets.Weights(FaceApiPackage.RecognitionManifest), [0, 1, 0, 1]);
        const int size = Teacher.DlibResNet.MinimumInputSize;
        using var output = net.forward(TorchSharp.torch.rand(2, size, size, 3) * 255);
        Assert.Equal([2L, 128L], output.shape);
        Assert.ThrowsAny<Exception>(() => net.forward(TorchSharp.torch.rand(1, size - 1, size - 1, 3) * 255));
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
