using System.Text.Json.Nodes;
using FaceService.Embeddings;
using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;
using FaceService.Nets.Acquisition;
using FaceService.Nets.Quantization;
using FaceService.TestSupport;
using FaceService.Training.Backbones;
using FaceService.Training.Data;
using FaceService.Training.Export;
using FaceService.Training.Quantization;
using Xunit;
using static TorchSharp.torch;

namespace FaceService.Training.Tests;

/// <summary>
/// <c>facetrain quantize</c>'s steps on a small teacher-initialised student (the shipped student's ops at a quarter of
/// its blocks), calibrated and checked on patches of face-api's demo photos degraded as the student's training data.
/// </summary>
public sealed class QuantizationTests : IDisposable
{
    private const int InputSize = 112;
    private readonly string _directory = Directory.CreateTempSubdirectory("facetrain-quantize-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Quantising_a_student_keeps_its_embeddings_close_to_the_float_model_and_writes_an_int8_model_card()
    {
        var floatPath = ExportStudent();
        var (model, info) = EmbedderQuantization.Load(floatPath);
        var int8Path = Path.Combine(_directory, "student-int8.onnx");

        var ranges = EmbedderQuantization.Calibrate(model, Faces(count: 32, seed: 1), threads: 1, new NoProgress());
        var (_, summary) = EmbedderQuantization.Quantize(model, ranges, int8Path);
        var agreement = EmbedderQuantization.Agreement(floatPath, int8Path, Faces(count: 16, seed: 2), threads: 1, new NoProgress());

        Assert.Equal(model.Graph.Node.Count(n => n.OpType == "Conv"), summary.QuantizedNodes["Conv"]);
        Assert.Equal(16, agreement.Faces);
        Assert.True(agreement.MeanCosine > 0.998, $"mean cosine int8 vs float {agreement.MeanCosine}");
        Assert.True(agreement.MinCosine > 0.995, $"min cosine int8 vs float {agreement.MinCosine}");
        Assert.True(new FileInfo(int8Path).Length < 0.35 * new FileInfo(floatPath).Length, "int8 weights take a quarter of the float ones");

        // The float model's thresholds were measured on the float model: the int8 card must not inherit them.
        EmbeddingModelCard.Save(info with { OperatingPoints = [new OperatingPoint(1e-3, 0.9, "the float model")] }, EmbeddingModelCard.PathFor(floatPath));
        var cardPath = EmbedderQuantization.WriteCard(floatPath, int8Path, new JsonObject { ["method"] = "test" });
        var card = EmbeddingModelCard.Load(cardPath);
        Assert.Empty(card.OperatingPoints);
        Assert.Equal(("student-int8", info.InputSize, info.Dimension, info.Alignment), (card.Id, card.InputSize, card.Dimension, card.Alignment));
        Assert.Equal("test", JsonNode.Parse(File.ReadAllText(cardPath))!["quantization"]!["method"]!.GetValue<string>());
        using var embedder = new OnnxFaceEmbedder(new EmbedderOptions { ModelPath = int8Path });
        Assert.Equal(128, Assert.Single(embedder.Embed(Faces(count: 1, seed: 3))).Length);
    }

    [Fact]
    public void Calibrated_ranges_are_exactly_the_span_of_the_observed_activations()
    {
        var (model, _) = EmbedderQuantization.Load(ExportStudent());
        var faces = Faces(count: 12, seed: 4);

        // Batches of 8 (8 + 4 faces) against one face at a time: the ranges must cover every face's activations and
        // be no wider than they are.
        var batched = EmbedderQuantization.Calibrate(model, faces, threads: 1, new NoProgress());
        var perFace = faces.Select(face => EmbedderQuantization.Calibrate(model, [face], threads: 1, new NoProgress())).ToList();

        Assert.Equal(QdqQuantizer.CalibrationTensors(model), batched.Keys);
        foreach (var (tensor, range) in batched)
        {
            Assert.All(perFace, face => Assert.InRange(face[tensor].Min, range.Min, face[tensor].Max));
            Assert.All(perFace, face => Assert.InRange(face[tensor].Max, face[tensor].Min, range.Max));
            Assert.Equal(range, perFace.Select(face => face[tensor]).Aggregate(ActivationRange.Empty, (a, b) => a.Union(b)));
        }
    }

    [Fact]
    public void A_model_that_is_not_an_embedder_is_refused_with_a_clear_error()
    {
        var landmarks = Path.Combine(_directory, "landmarks.onnx");
        File.Copy(Requires.Model("face-landmarks68-tiny.onnx"), landmarks);
        Assert.Contains("Model card", Assert.Throws<FileNotFoundException>(() => EmbedderQuantization.Load(landmarks)).Message);

        // With a card that claims an embedder, the graph gives it away: 136 landmark coordinates, not 128 dimensions.
        EmbeddingModelCard.Save(new EmbeddingModelInfo("landmarks", InputSize, 128, AlignmentKind.SimilarityWarp, []), EmbeddingModelCard.PathFor(landmarks));
        Assert.Contains("not an embedding model", Assert.Throws<InvalidDataException>(() => EmbedderQuantization.Load(landmarks)).Message);

        var garbage = Path.Combine(_directory, "garbage.onnx");
        File.WriteAllBytes(garbage, [1, 2, 3, 4, 5]);
        File.Copy(EmbeddingModelCard.PathFor(landmarks), EmbeddingModelCard.PathFor(garbage));
        Assert.Contains("not an ONNX model", Assert.Throws<InvalidDataException>(() => EmbedderQuantization.Load(garbage)).Message);
    }

    [Fact]
    public void A_student_reads_its_weights_back_from_its_float_and_its_int8_model()
    {
        using var scope = NewDisposeScope();
        var exported = BackboneFactory.Create(SmallStudent);
        // Every weight moved off the teacher's, where a fresh student starts, so that only a real read-back matches.
        random.manual_seed(8);
        using (no_grad())
            foreach (var parameter in exported.parameters())
                parameter.add_(randn_like(parameter) * parameter.std());
        var floatPath = StudentExport.Export(exported, SmallStudent, _directory, "student", new JsonObject()).OnnxPath;
        var (model, _) = EmbedderQuantization.Load(floatPath);
        var int8Path = Path.Combine(_directory, "student-int8.onnx");
        EmbedderQuantization.Quantize(model, EmbedderQuantization.Calibrate(model, Faces(count: 16, seed: 5), threads: 1, new NoProgress()), int8Path);

        var fromFloat = BackboneFactory.Create(SmallStudent);
        Assert.True(StudentExport.MaxAbsDifference(fromFloat, floatPath, InputSize) > 100 * StudentExport.ParityTolerance, "a fresh student differs from the exported one");
        ExportedWeights.LoadInto(fromFloat, floatPath);
        Assert.InRange(StudentExport.MaxAbsDifference(fromFloat, floatPath, InputSize), 0, StudentExport.ParityTolerance);

        var fromInt8 = BackboneFactory.Create(SmallStudent);
        ExportedWeights.LoadInto(fromInt8, int8Path);
        // Per output channel, int8 rounds a weight by at most half its scale, max|w| / 127; the first convolution's
        // weights come back through the unfolded input normalisation and obey the same bound.
        var original = exported.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in fromInt8.named_parameters().Where(p => p.name.EndsWith(".weight", StringComparison.Ordinal)))
        {
            var expected = original[name];
            var channelMax = expected.abs().flatten(1).max(1).values;
            var error = (parameter - expected).abs().flatten(1).max(1).values;
            Assert.True((error <= channelMax / 254 + 1e-6f).all().item<bool>(), $"{name}: dequantised further than int8 rounds");
        }
        var faces = Faces(count: 8, seed: 6);
        var cosines = Cosines(fromInt8, exported, faces);
        Assert.True(cosines.Min() > 0.999, $"min cosine of the int8 read-back against the exported student: {cosines.Min()}");
        Assert.True(Cosines(BackboneFactory.Create(SmallStudent), exported, faces).Min() < 0.99, "the check tells a fresh student from the exported one");
    }

    [Fact]
    public void Reading_a_model_into_another_architecture_is_refused()
    {
        var mobileFaceNet = BackboneFactory.Create(new StudentOptions { InputSize = InputSize });
        var error = Assert.Throws<InvalidDataException>(() => ExportedWeights.LoadInto(mobileFaceNet, ExportStudent()));
        Assert.Contains("not exported from this student's architecture", error.Message);
    }

    [Fact]
    public void Calibration_and_agreement_crops_are_disjoint_seeded_samples()
    {
        var (calibration, heldOut) = CalibrationFaces.Split(cropCount: 100, calibration: 30, heldOut: 20, seed: 9);

        Assert.Equal(30, calibration.Distinct().Count());
        Assert.Equal(20, heldOut.Distinct().Count());
        Assert.Empty(calibration.Intersect(heldOut));
        Assert.Equal(calibration, CalibrationFaces.Split(100, 30, 20, seed: 9).Calibration);
        Assert.NotEqual(calibration, CalibrationFaces.Split(100, 30, 20, seed: 10).Calibration);
        Assert.Throws<ArgumentException>(() => CalibrationFaces.Split(cropCount: 40, calibration: 30, heldOut: 20, seed: 9));
    }

    private static StudentOptions SmallStudent => new()
    {
        Architecture = "dlibresnet",
        InputSize = InputSize,
        StageRepeats = [0, 1, 0, 1],
        TeacherWeights = Requires.FaceApiPackageFile(FaceApiPackage.RecognitionManifest),
    };

    private string ExportStudent() =>
        StudentExport.Export(BackboneFactory.Create(SmallStudent), SmallStudent, _directory, "student", new JsonObject()).OnnxPath;

    /// <summary>Cosine of two nets' embeddings, face by face.</summary>
    private static double[] Cosines(nn.Module<Tensor, Tensor> a,
        nn.Module<Tensor, Tensor> b, AlignedFace[] faces)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var batch = tensor(faces.SelectMany(f => f.Pixels).ToArray(), [faces.Length, InputSize, InputSize, 3]);
        a.eval();
        b.eval();
        var cosines = nn.functional.cosine_similarity(a.forward(batch), b.forward(batch));
        return cosines.data<float>().Select(c => (double)c).ToArray();
    }

    /// <summary>Seeded square patches of the demo photos, half kept at HR and half degraded, as calibration faces are.</summary>
    private static AlignedFace[] Faces(int count, int seed)
    {
        var photos = Enumerable.Range(1, 6)
            .Select(k => ImageDecoder.Decode(File.ReadAllBytes(Requires.FaceApiPackageFile($"demo/sample{k}.jpg")), new ImageDecodeOptions()))
            .ToArray();
        var augmentation = new LowResolutionAugmentation(CalibrationFaces.Degradation, InputSize);
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var photo = photos[random.Next(photos.Length)];
            var size = random.Next(100, Math.Min(photo.Width, photo.Height) + 1);
            var (left, top) = (random.Next(photo.Width - size + 1), random.Next(photo.Height - size + 1));
            var patch = new byte[size * size * 3];
            for (var y = 0; y < size; y++)
                photo.Pixels.AsSpan(((top + y) * photo.Width + left) * 3, size * 3).CopyTo(patch.AsSpan(y * size * 3));
            return augmentation.Apply(patch, size, size, random.Next());
        }).ToArray();
    }
}
