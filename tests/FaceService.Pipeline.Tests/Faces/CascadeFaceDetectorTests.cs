using FaceService.Faces;
using FaceService.Faces.Detection;
using FaceService.Faces.Imaging;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Faces;

public sealed class CascadeFaceDetectorTests
{
    private static readonly RgbImage Image100 = new(100, 100, new byte[100 * 100 * 3]);

    /// <summary>Answers each (input size, threshold) pass from a table; records the passes asked for.</summary>
    private sealed class ScriptedPasses(Dictionary<(int, double), DetectedFace[]> answers, DetectorKind kind = DetectorKind.TinyFaceDetector) : IFaceDetectionPass
    {
        public List<(int, double)> Asked { get; } = [];

        public DetectionStage PrimaryStage => new(kind == DetectorKind.SsdMobilenetV1 ? 512 : 416, 0.5, false, kind);

        public IReadOnlyList<DetectedFace> Detect(RgbImage image, int inputSize, double scoreThreshold)
        {
            Asked.Add((inputSize, scoreThreshold));
            return answers.GetValueOrDefault((inputSize, scoreThreshold), [])
                .Select(f => f with { Stage = new DetectionStage(inputSize, scoreThreshold, false, kind) }).ToArray();
        }
    }

    private static DetectedFace Face(double x, double y, double score) => new(new FaceBox(x, y, 20, 20), score);

    [Fact]
    public void PrimaryHitStopsTheCascade()
    {
        var passes = new ScriptedPasses(new() { [(416, 0.5)] = [Face(10, 10, 0.9)] });

        var faces = new CascadeFaceDetector(passes, new DetectionCascadeOptions()).Detect(Image100);

        Assert.Equal(new DetectionStage(416, 0.5, false), Assert.Single(faces).Stage);
        Assert.Equal([(416, 0.5)], passes.Asked);
    }

    [Fact]
    public void SmallerInputsAreTriedInOrder()
    {
        var passes = new ScriptedPasses(new() { [(224, 0.5)] = [Face(10, 10, 0.7), Face(60, 60, 0.6)] });

        var faces = new CascadeFaceDetector(passes, new DetectionCascadeOptions()).Detect(Image100);

        Assert.Equal(2, faces.Count);
        Assert.All(faces, f => Assert.Equal(new DetectionStage(224, 0.5, false), f.Stage));
        Assert.Equal([(416, 0.5), (320, 0.5), (224, 0.5)], passes.Asked);
    }

    [Fact]
    public void LastResortKeepsOnlyTheBestBoxContainingTheCentre()
    {
        var passes = new ScriptedPasses(new()
        {
            [(416, 0.2)] = [Face(0, 0, 0.45), Face(40, 40, 0.3)],  // the 0.45 box misses the centre (50, 50)
            [(320, 0.2)] = [Face(35, 35, 0.35)],                   // best box containing the centre
            [(224, 0.2)] = [Face(45, 45, 0.25)],
        });

        var faces = new CascadeFaceDetector(passes, new DetectionCascadeOptions()).Detect(Image100);

        var face = Assert.Single(faces);
        Assert.Equal((35.0, 0.35), (face.Box.X, face.Score));
        Assert.Equal(new DetectionStage(320, 0.2, true), face.Stage);
    }

    [Fact]
    public void NothingAnywhereGivesNoFace()
    {
        var passes = new ScriptedPasses(new() { [(416, 0.2)] = [Face(0, 0, 0.3)] });

        Assert.Empty(new CascadeFaceDetector(passes, new DetectionCascadeOptions()).Detect(Image100));
    }

    [Fact]
    public void SsdPrimaryFallsBackOnTheTinyDetectorsPasses()
    {
        var ssd = new ScriptedPasses(new() { [(512, 0.2)] = [Face(40, 40, 0.3)] }, DetectorKind.SsdMobilenetV1);
        var tiny = new ScriptedPasses(new() { [(320, 0.5)] = [Face(10, 10, 0.9)] });
        var cascade = new CascadeFaceDetector(ssd, new DetectionCascadeOptions(), tiny);

        var face = Assert.Single(cascade.Detect(Image100));

        Assert.Equal(new DetectionStage(320, 0.5, false), face.Stage);
        Assert.Equal([(512, 0.5)], ssd.Asked);
        Assert.Equal([(416, 0.5), (320, 0.5)], tiny.Asked);
        Assert.Equal(["ssd512@0.5", "416@0.5", "320@0.5", "224@0.5", "ssd512@0.2-centre", "416@0.2-centre", "320@0.2-centre", "224@0.2-centre"],
            cascade.Stages.Select(s => s.ToString()));
    }

    [Fact]
    public void SsdCentrePassCompetesWithTheTinyDetectorsCentrePasses()
    {
        var ssd = new ScriptedPasses(new() { [(512, 0.2)] = [Face(40, 40, 0.45)] }, DetectorKind.SsdMobilenetV1);
        var tiny = new ScriptedPasses(new() { [(416, 0.2)] = [Face(35, 35, 0.3)] });

        var face = Assert.Single(new CascadeFaceDetector(ssd, new DetectionCascadeOptions(), tiny).Detect(Image100));

        Assert.Equal((40.0, 0.45), (face.Box.X, face.Score));
        Assert.Equal(new DetectionStage(512, 0.2, true, DetectorKind.SsdMobilenetV1), face.Stage);
    }

    [Fact]
    public void DisabledCascadeRunsOnlyThePrimaryPass()
    {
        var passes = new ScriptedPasses(new() { [(320, 0.5)] = [Face(10, 10, 0.9)] });
        var cascade = new CascadeFaceDetector(passes, new DetectionCascadeOptions { Enabled = false });

        Assert.Empty(cascade.Detect(Image100));
        Assert.Equal([new DetectionStage(416, 0.5, false)], cascade.Stages);
    }

    /// <summary>
    /// Two LFW images (tightly cropped faces) that the primary pass misses, found by the 320 and 224 fallbacks.
    /// On every 15th LFW image (514) the primary pass missed 68 (13 %); 320 found 63, 224 four, the centre pass one.
    /// </summary>
    [SkippableTheory]
    [InlineData("Andre_Techine/Andre_Techine_0001.jpg", 320)]
    [InlineData("Carlos_Moya/Carlos_Moya_0017.jpg", 224)]
    public void FallbacksRecoverTightlyCroppedFaces(string file, int expectedInputSize)
    {
        Requires.Shared();
        var image = ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(TestPaths.SharedDir, "datasets", "lfw", "lfw-deepfunneled", file)), new ImageDecodeOptions());
        Assert.Empty(PipelineModels.Detector.Detect(image));

        var faces = new CascadeFaceDetector(PipelineModels.Detector, new DetectionCascadeOptions()).Detect(image);

        var face = Assert.Single(faces);
        Assert.Equal(new DetectionStage(expectedInputSize, 0.5, false), face.Stage);
        Assert.InRange(125, face.Box.X, face.Box.X + face.Box.Width);
        Assert.InRange(125, face.Box.Y, face.Box.Y + face.Box.Height);
    }
}
