using FaceService.Embeddings;
using FaceService.Faces.Alignment;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Embeddings;

public class ResolutionRoutedEmbedderTests
{
    private static readonly float[] GeneralVector = [1, 0];
    private static readonly float[] LowResolutionVector = [0, 1];

    private static AlignedFace FaceFrom(double sourcePixels) => new(4, 4, new float[4 * 4 * 3], sourcePixels);

    [Fact]
    public void Faces_below_the_boundary_go_to_the_low_resolution_model_in_one_call_each_and_come_back_in_order()
    {
        var general = new ConstantEmbedder("general", GeneralVector);
        var lowResolution = new ConstantEmbedder("expert", LowResolutionVector);
        var routed = new ResolutionRoutedEmbedder(general, lowResolution, belowPixels: 20);
        AlignedFace[] faces = [FaceFrom(30), FaceFrom(8), FaceFrom(20), FaceFrom(19.5), FaceFrom(112)];

        var embeddings = routed.Embed(faces);

        Assert.Equal([GeneralVector, LowResolutionVector, GeneralVector, LowResolutionVector, GeneralVector], embeddings);
        var generalCall = Assert.Single(general.Calls);
        var lowResolutionCall = Assert.Single(lowResolution.Calls);
        Assert.Equal([faces[0], faces[2], faces[4]], generalCall);
        Assert.Equal([faces[1], faces[3]], lowResolutionCall);
    }

    [Fact]
    public void A_model_with_no_faces_is_not_called()
    {
        var general = new ConstantEmbedder("general", GeneralVector);
        var lowResolution = new ConstantEmbedder("expert", LowResolutionVector);
        var routed = new ResolutionRoutedEmbedder(general, lowResolution, belowPixels: 20);

        Assert.Equal([GeneralVector, GeneralVector], routed.Embed([FaceFrom(20), FaceFrom(64)]));
        Assert.Empty(lowResolution.Calls);
        Assert.Equal([LowResolutionVector], routed.Embed([FaceFrom(12)]));
        Assert.Single(general.Calls);
        Assert.Empty(routed.Embed([]));
        Assert.Equal((1, 1), (general.Calls.Count, lowResolution.Calls.Count));
    }

    [Fact]
    public void The_pair_has_its_own_id_and_the_general_models_input_and_operating_points()
    {
        OperatingPoint[] points = [new(1e-3, 0.42, "LFW HR")];
        var general = new ConstantEmbedder("general", GeneralVector, operatingPoints: points);
        var lowResolution = new ConstantEmbedder("expert", LowResolutionVector);

        var model = new ResolutionRoutedEmbedder(general, lowResolution, belowPixels: 16).Model;

        Assert.Equal("general+expert<16px", model.Id);
        Assert.Equal(general.Model with { Id = model.Id }, model);
        Assert.Same(points, model.OperatingPoints);
    }

    [Theory]
    [InlineData(8, 2, AlignmentKind.SimilarityWarp)]
    [InlineData(4, 3, AlignmentKind.SimilarityWarp)]
    [InlineData(4, 2, AlignmentKind.FaceApiCrop)]
    public void Models_of_another_input_or_embedding_space_are_refused(int inputSize, int dimension, AlignmentKind alignment)
    {
        var general = new ConstantEmbedder("general", GeneralVector);
        var other = new ConstantEmbedder("expert", new float[dimension], inputSize, alignment);

        var error = Assert.Throws<ArgumentException>(() => new ResolutionRoutedEmbedder(general, other, belowPixels: 20));

        Assert.Contains("expert", error.Message);
        Assert.Contains("general", error.Message);
    }

    [Fact]
    public void Mirror_averaging_wraps_the_routing_and_a_face_and_its_mirror_take_the_same_route()
    {
        var general = new ConstantEmbedder("general", GeneralVector);
        var lowResolution = new ConstantEmbedder("expert", LowResolutionVector);
        var options = new EmbedderOptions { MirrorAveraging = true, LowResolutionBelowPixels = 20 };

        var embedder = options.Over(general, lowResolution);
        var embeddings = embedder.Embed([FaceFrom(12)]);

        Assert.IsType<MirrorAveragingEmbedder>(embedder);
        Assert.Equal("general+expert<20px", embedder.Model.Id);
        Assert.Equal(2, Assert.Single(lowResolution.Calls).Count);
        Assert.Empty(general.Calls);
        Assert.Equal([LowResolutionVector], embeddings);
    }

    /// <summary>Both paths at the shipped student: a routed pair of one file still has an id of its own.</summary>
    [Fact]
    public void Configured_routing_opens_both_models_under_the_pairs_id()
    {
        var student = Requires.Model(ShippedStudentTests.StudentFile);
        using var single = new ConfiguredEmbedder(new EmbedderOptions { ModelPath = student });
        using var routed = new ConfiguredEmbedder(new EmbedderOptions { ModelPath = student, LowResolutionModelPath = student });

        Assert.Same(single.GeneralModel, single.Embedder);
        Assert.Null(single.LowResolutionModel);
        Assert.IsType<ResolutionRoutedEmbedder>(routed.Embedder);
        Assert.NotNull(routed.LowResolutionModel);
        var id = single.Embedder.Model.Id;
        Assert.Equal($"{id}+{id}<20px", routed.Embedder.Model.Id);
    }

    [Fact]
    public void A_missing_low_resolution_model_is_named_when_the_embedder_is_built()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-expert-{Guid.NewGuid():N}.onnx");

        var error = Assert.Throws<FileNotFoundException>(() => new ConfiguredEmbedder(new EmbedderOptions
        {
            ModelPath = Requires.Model(ShippedStudentTests.StudentFile), LowResolutionModelPath = missing,
        }));

        Assert.Contains(Path.GetFileNameWithoutExtension(missing), error.Message);
    }

    /// <summary>Returns its own vector for every face and records each call's faces.</summary>
    private sealed class ConstantEmbedder(
        string id, float[] vector, int inputSize = 4, AlignmentKind alignment = AlignmentKind.SimilarityWarp,
        IReadOnlyList<OperatingPoint>? operatingPoints = null) : IFaceEmbedder
    {
        public List<IReadOnlyList<AlignedFace>> Calls { get; } = [];

        public EmbeddingModelInfo Model { get; } = new(id, inputSize, vector.Length, alignment, operatingPoints ?? []);

        public float[][] Embed(IReadOnlyList<AlignedFace> faces)
        {
            Calls.Add(faces);
            return faces.Select(_ => vector.ToArray()).ToArray();
        }
    }
}
