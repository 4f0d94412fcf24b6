using FaceService.Training.Backbones;
using FaceService.Training.Losses;
using Xunit;
using static TorchSharp.torch;

namespace FaceService.Training.Tests;

public class StudentTrainingStepTests
{
    private static readonly StudentOptions Tiny = new() { InputSize = 32, StageRepeats = [1, 1, 1, 1, 1], HeadChannels = 64 };

    [Fact]
    public void Student_maps_an_nhwc_batch_to_128_d_embeddings()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(1);
        var student = BackboneFactory.Create(new StudentOptions());
        student.eval();

        var output = student.forward(rand(3, 64, 64, 3) * 255);

        Assert.Equal(new long[] { 3, 128 }, output.shape);
    }

    [Theory]
    [InlineData(DistillationDistance.Cosine, 0.0)]
    [InlineData(DistillationDistance.L2, 0.0)]
    [InlineData(DistillationDistance.Cosine, 1.0)]
    public void A_few_steps_on_a_tiny_batch_lower_the_total_loss(DistillationDistance distance, double identityWeight)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(2);
        var student = BackboneFactory.Create(Tiny);
        var head = new CosFaceHead(128, identities: 4, margin: 0.35, scale: 16);
        var objective = new StudentObjective(
            new LossOptions { Distillation = distance, MmdWeight = 1.0, IdentityWeight = identityWeight }, head);
        var faces = rand(16, 32, 32, 3, generator: new Generator(3)) * 255;
        var teacher = randn(16, 128, generator: new Generator(4)) * 0.1f;
        var identities = tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 3, -1, -1, -1, -1, 0, 1, 2, 3 });
        var optimizer = optim.Adam(student.parameters().Concat(head.parameters()), lr: 1e-3);
        student.train();

        float Step()
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var terms = objective.Compute(student.forward(faces), teacher, identities);
            terms.Total.backward();
            optimizer.step();
            return terms.Total.item<float>();
        }

        var first = Step();
        var last = first;
        for (var i = 0; i < 15; i++)
            last = Step();

        Assert.True(last < 0.7 * first, $"loss {first} -> {last}");
    }

    [Fact]
    public void Fixed_identity_centres_stay_fixed_while_the_identity_loss_pulls_embeddings_toward_them()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(5);
        var centres = randn(4, 128, generator: new Generator(6));
        var head = CosFaceHead.WithFixedCentres(centres.clone(), margin: 0.35, scale: 16);
        var embeddings = nn.Parameter(randn(8, 128, generator: new Generator(7)));
        var identities = tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 3 });
        var optimizer = optim.Adam([embeddings], lr: 0.05);

        Assert.DoesNotContain(head.parameters(), p => p.requires_grad);
        var first = head.forward(embeddings, identities).item<float>();
        for (var i = 0; i < 20; i++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            head.forward(embeddings, identities).backward();
            optimizer.step();
        }

        var last = head.forward(embeddings, identities).item<float>();
        Assert.True(last < 0.5 * first, $"identity loss {first} -> {last}");
        Assert.True(head.parameters().Single().equal(centres).all().item<bool>(), "fixed centres changed");
    }

    [Fact]
    public void Identity_loss_is_zero_for_a_batch_without_labels()
    {
        using var scope = NewDisposeScope();
        var head = new CosFaceHead(128, identities: 4, margin: 0.35, scale: 16);

        var loss = head.forward(randn(5, 128), full(5, CosFaceHead.Unlabelled, dtype: ScalarType.Int64));

        Assert.Equal(0f, loss.item<float>());
    }
}

public class StudentCostTests
{
    [Fact]
    public void Default_student_needs_at_least_3x_fewer_multiply_adds_than_the_teacher()
    {
        var weights = FaceService.TestSupport.Requires.FaceApiPackageFile(FaceService.Nets.Acquisition.FaceApiPackage.RecognitionManifest);
        var teacher = FaceService.Nets.Teacher.DlibResNet.FromWeights(FaceService.Nets.Tfjs.TfjsWeights.Load(weights));
        var student = BackboneFactory.Create(new StudentOptions());

        var teacherMacs = MultiplyAdds.PerFace(teacher, FaceService.Nets.Teacher.DlibResNet.InputSize);
        var studentMacs = MultiplyAdds.PerFace(student, new StudentOptions().InputSize);

        Console.WriteLine($"multiply-adds per face: teacher {teacherMacs / 1e6:0.0} M, student {studentMacs / 1e6:0.0} M, ratio {(double)teacherMacs / studentMacs:0.0}");
        Assert.True(studentMacs * 3 <= teacherMacs, $"teacher {teacherMacs}, student {studentMacs}");
    }
}
