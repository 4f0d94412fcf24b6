using FaceService.Faces;
using FaceService.Faces.Alignment;
using FaceService.Faces.Detection;
using FaceService.Faces.Imaging;
using FaceService.Faces.Landmarks;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Faces;

public sealed class FaceAnalyzerTests
{
    private static IFaceAnalyzer CascadeAnalyzer() =>
        PipelineModels.Analyzer(new CascadeFaceDetector(PipelineModels.Detector, new DetectionCascadeOptions()));

    [SkippableTheory]
    [InlineData(AlignmentKind.FaceApiCrop, 150)]
    [InlineData(AlignmentKind.SimilarityWarp, 112)]
    public void EveryDemoFaceIsAnalysed(AlignmentKind alignment, int size)
    {
        Requires.Shared();
        var image = DemoImages.Decoded(5);

        var faces = CascadeAnalyzer().Analyze(image, alignment, size);

        Assert.Equal(5, faces.Count); // golden README: sample5 has five faces
        Assert.Equal(faces.OrderByDescending(f => f.Detection.Score), faces);
        foreach (var face in faces)
        {
            Assert.Equal((size, size), (face.Aligned.Width, face.Aligned.Height));
            Assert.Equal(68, face.Landmarks.Points.Count);
            Assert.Equal((face.Detection.Box.Width, face.Detection.Box.Height, face.Detection.Score),
                (face.Quality.BoxWidth, face.Quality.BoxHeight, face.Quality.DetectorScore));
            Assert.Equal(FivePointLandmarks.From(face.Landmarks).InterEyeDistance, face.Quality.InterEyeDistance);
            Assert.InRange(face.Quality.InterEyeDistance, 0.15 * face.Quality.BoxWidth, 0.6 * face.Quality.BoxWidth);
            Assert.Equal(new DetectionStage(416, 0.5, false), face.Detection.Stage);
        }
    }

    [SkippableFact]
    public void ImagesWithoutAFaceGiveAnEmptyList()
    {
        Requires.Model("face-detector.onnx");
        var grey = new RgbImage(640, 480, Enumerable.Repeat((byte)128, 640 * 480 * 3).ToArray());
        var stripes = new RgbImage(300, 200, Enumerable.Range(0, 300 * 200 * 3).Select(i => (byte)(i / 3 % 300 < 150 ? 30 : 220)).ToArray());

        Assert.Empty(CascadeAnalyzer().Analyze(grey, AlignmentKind.SimilarityWarp, 150));
        Assert.Empty(CascadeAnalyzer().Analyze(stripes, AlignmentKind.FaceApiCrop, 150));
    }

    [SkippableFact]
    public void TinyImagesDoNotCrash()
    {
        Requires.Model("face-detector.onnx");
        var onePixel = new RgbImage(1, 1, [200, 150, 100]);
        var thinStrip = new RgbImage(400, 3, new byte[400 * 3 * 3]);

        Assert.Empty(CascadeAnalyzer().Analyze(onePixel, AlignmentKind.SimilarityWarp, 150));
        Assert.Empty(CascadeAnalyzer().Analyze(thinStrip, AlignmentKind.FaceApiCrop, 150));
    }
}
