using FaceService.Faces;
using FaceService.Faces.Alignment;
using FaceService.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace FaceService.Pipeline.Tests.Faces;

/// <summary>face-api's descriptor path: alignDlib crop → 150x150 legacy bilinear → teacher ONNX.</summary>
public sealed class DescriptorParityTests(ITestOutputHelper output)
{
    /// <summary>
    /// face-api's landmarks on the JPEG's decode (bit-identical to jpeg-js): the crop rectangle is exactly face-api's,
    /// so only float summation order differs (measured: max |diff| ≤ 5.7e-7 on descriptors of norm ≈1.4; with
    /// ImageSharp's decode it was 2.2e-3–5.3e-3).
    /// </summary>
    [SkippableTheory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)]
    public void FaceApiCropThroughTheTeacherReproducesTheDescriptor(int sample)
    {
        Requires.Shared();
        var image = DemoImages.Decoded(sample);
        var aligner = new FaceApiCropAligner();
        foreach (var face in FaceApiGolden.Detect(sample).GetProperty("faces").EnumerateArray())
        {
            var crop = face.GetProperty("landmarkCrop");
            var landmarks = new FaceLandmarks(face.GetProperty("landmarks68").GetProperty("positionsPx").Points())
            {
                CropSize = (crop.GetProperty("width").GetInt32(), crop.GetProperty("height").GetInt32()),
            };
            var expected = face.GetProperty("descriptor").Floats();

            var aligned = aligner.Align(image, landmarks, 150)!;
            var descriptor = PipelineModels.Teacher.EmbedRaw([aligned])[0];

            var maxDiff = expected.Zip(descriptor, (e, a) => Math.Abs(e - a)).Max();
            var cosine = FaceService.Embeddings.EmbeddingMath.Cosine(expected, descriptor);
            output.WriteLine($"sample{sample}: max |diff| {maxDiff:E2}, cosine {cosine:F6}");
            Assert.InRange(maxDiff, 0, 1e-5);
            Assert.InRange(cosine, 0.99999, 1.00001);
        }
    }

    /// <summary>
    /// The recorded non-square 240x270 crop through the "already cropped" path (pad centred, resize to 150) and the
    /// teacher: identical input pixels, so the descriptor must match to 1e-4.
    /// </summary>
    [SkippableFact]
    public void NonSquareCropThroughTheTeacherMatchesTightly()
    {
        Requires.Shared();
        var golden = FaceApiGolden.Load("preprocess_sample2_nonsquare.json");
        var shape = golden.GetProperty("raw").GetProperty("shapeHWC").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var raw = golden.GetProperty("raw").GetProperty("data").EnumerateArray().Select(e => e.GetByte()).ToArray();
        var expected = golden.GetProperty("descriptor_tfjs_cpu").Floats();

        var aligned = FaceApiCropAligner.FromWholeImage(new FaceService.Faces.Imaging.RgbImage(shape[1], shape[0], raw), 150);
        var descriptor = PipelineModels.Teacher.EmbedRaw([aligned])[0];

        var maxDiff = expected.Zip(descriptor, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"max |diff| {maxDiff:E2}");
        Assert.InRange(maxDiff, 0, 1e-4);
    }

    [SkippableFact]
    public void EmbedReturnsUnitVectorsInBatches()
    {
        Requires.Shared();
        var image = DemoImages.Decoded(3);
        var aligner = new SimilarityWarpAligner();
        var faces = FaceApiGolden.Detect(3).GetProperty("faces").EnumerateArray()
            .Select(f => aligner.Align(image, new FaceLandmarks(f.GetProperty("landmarks68").GetProperty("positionsPx").Points()), 150)!)
            .ToArray();
        var teacher = PipelineModels.Teacher;

        var batch = teacher.Embed(faces);
        var single = faces.Select(f => teacher.Embed([f])[0]).ToArray();

        Assert.Equal(faces.Length, batch.Length);
        for (var i = 0; i < faces.Length; i++)
        {
            Assert.Equal(1.0, FaceService.Embeddings.EmbeddingMath.Norm(batch[i]), 1e-5);
            Assert.Equal(1.0, FaceService.Embeddings.EmbeddingMath.Dot(batch[i], single[i]), 1e-5);
        }
        // Three different people.
        Assert.InRange(FaceService.Embeddings.EmbeddingMath.Dot(batch[0], batch[1]), -1, 0.9);
    }
}
