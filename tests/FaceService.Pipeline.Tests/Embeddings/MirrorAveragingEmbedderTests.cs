using FaceService.Embeddings;
using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;
using FaceService.Pipeline.Tests.Faces;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Embeddings;

public class MirrorAveragingEmbedderTests
{
    [Fact]
    public void Mirroring_flips_columns_keeps_rows_and_channels_and_undoes_itself()
    {
        // 3 x 2 pixels, RGB: pixel (x, y) holds (10y + x, 100 + 10y + x, 200 + 10y + x).
        var pixels = Enumerable.Range(0, 2).SelectMany(y => Enumerable.Range(0, 3).SelectMany(x => new float[] { 10 * y + x, 100 + 10 * y + x, 200 + 10 * y + x })).ToArray();
        var face = new AlignedFace(3, 2, pixels);

        var mirrored = face.Mirrored();

        Assert.Equal([2f, 102, 202, 1, 101, 201, 0, 100, 200, 12, 112, 212, 11, 111, 211, 10, 110, 210], mirrored.Pixels);
        Assert.Equal(pixels, mirrored.Mirrored().Pixels);
    }

    [Fact]
    public void A_crop_is_its_own_source_unless_told_and_its_mirror_keeps_the_source_resolution()
    {
        var pixels = new float[3 * 2 * 3];

        Assert.Equal(3, new AlignedFace(3, 2, pixels).SourcePixels);
        Assert.Equal(3, new AlignedFace(3, 2, pixels).Mirrored().SourcePixels);
        Assert.Equal(12.5, new AlignedFace(3, 2, pixels, sourcePixels: 12.5).Mirrored().SourcePixels);
    }

    [Fact]
    public void Averages_each_face_with_its_mirror_in_one_inference()
    {
        var inner = new LeftRightEmbedder();
        var embedder = new EmbedderOptions { MirrorAveraging = true }.Over(inner);
        // Brighter on the left: the plain embedding points at (1, 0), its mirror's at (0, 1).
        var face = new AlignedFace(2, 1, [9, 9, 9, 0, 0, 0]);

        var embeddings = embedder.Embed([face, face.Mirrored()]);

        Assert.Equal(1, inner.Calls);
        var diagonal = MathF.Sqrt(0.5f);
        Assert.All(embeddings, e => Assert.Equal([diagonal, diagonal], e, (a, b) => Math.Abs(a - b) < 1e-6));
        Assert.Same(inner, new EmbedderOptions().Over(inner));
    }

    /// <summary>
    /// On the shipped student, mirror averaging makes a face and its mirror image embed alike, which the plain
    /// embedding does not: the two are distinct images to the net.
    /// </summary>
    [Fact]
    public void A_face_and_its_mirror_embed_alike_on_the_shipped_student()
    {
        using var student = new OnnxFaceEmbedder(new EmbedderOptions { ModelPath = Requires.Model(ShippedStudentTests.StudentFile) });
        var image = ImageDecoder.Decode(File.ReadAllBytes(TestPaths.DemoImage(2)), new ImageDecodeOptions());
        var face = PipelineModels.Analyzer(PipelineModels.Detector).Analyze(image, AlignmentKind.SimilarityWarp, student.Model.InputSize)[0].Aligned;
        var averaged = new MirrorAveragingEmbedder(student);

        var plain = student.Embed([face, face.Mirrored()]);
        var both = averaged.Embed([face, face.Mirrored()]);

        Assert.True(EmbeddingMath.Dot(plain[0], plain[1]) < 0.998f, $"plain cosine {EmbeddingMath.Dot(plain[0], plain[1])}: the student embeds a face and its mirror differently");
        Assert.True(EmbeddingMath.Dot(both[0], both[1]) > 0.99999f, $"cosine {EmbeddingMath.Dot(both[0], both[1])}");
    }

    /// <summary>Embeds a face as the normalised (mean of its left half, mean of its right half).</summary>
    private sealed class LeftRightEmbedder : IFaceEmbedder
    {
        public int Calls { get; private set; }

        public EmbeddingModelInfo Model => throw new NotSupportedException();

        public float[][] Embed(IReadOnlyList<AlignedFace> faces)
        {
            Calls++;
            return faces.Select(f =>
            {
                var half = f.Width / 2 * 3;
                float Mean(int start) => Enumerable.Range(0, f.Height).Sum(y => f.Pixels.Skip(y * f.Width * 3 + start).Take(half).Sum()) / half;
                return EmbeddingMath.Normalized([Mean(0), Mean(f.Width * 3 - half)]);
            }).ToArray();
        }
    }
}
