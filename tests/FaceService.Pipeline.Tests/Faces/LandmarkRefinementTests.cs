using FaceService.Faces;
using FaceService.Faces.Landmarks;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Faces;

public sealed class LandmarkRefinementTests
{
    private static IEnumerable<(FaceBox Box, Point2[] Landmarks)> GoldenFaces() =>
        Enumerable.Range(1, 6).SelectMany(k => FaceApiGolden.Detect(k).GetProperty("faces").EnumerateArray()
            .Select(face => (face.GetProperty("detection").GetProperty("boxPx").Box(),
                face.GetProperty("landmarks68").GetProperty("positionsPx").Points())));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    [SkippableFact]
    public void TheReframedBoxHasTheProportionsOfFaceApisDetectionsAroundTheirLandmarks()
    {
        Requires.Shared();
        var faces = GoldenFaces().ToList();
        Assert.Equal(20, faces.Count);
        double Side(Point2[] p) => Math.Max(p.Max(q => q.X) - p.Min(q => q.X), p.Max(q => q.Y) - p.Min(q => q.Y));

        Assert.Equal(LandmarkBox.WidthFactor, Median(faces.Select(f => f.Box.Width / Side(f.Landmarks))), 2);
        Assert.Equal(LandmarkBox.HeightFactor, Median(faces.Select(f => f.Box.Height / Side(f.Landmarks))), 2);
        // The median golden box is centred on its landmarks to within 2.5 % of their extent, so the re-framed box is too.
        foreach (var (box, landmarks) in faces)
        {
            var reframed = LandmarkBox.Around(new FaceLandmarks(landmarks));
            Assert.Equal(Side(landmarks) * LandmarkBox.WidthFactor, reframed.Width, 9);
            Assert.Equal(landmarks.Min(p => p.X) + landmarks.Max(p => p.X), 2 * reframed.X + reframed.Width, 9);
            Assert.Equal(landmarks.Min(p => p.Y) + landmarks.Max(p => p.Y), 2 * reframed.Y + reframed.Height, 9);
        }
        Assert.InRange(Median(faces.Select(f => (f.Box.X + f.Box.Width / 2 - (f.Landmarks.Min(p => p.X) + f.Landmarks.Max(p => p.X)) / 2) / Side(f.Landmarks))), -0.025, 0.025);
        Assert.InRange(Median(faces.Select(f => (f.Box.Y + f.Box.Height / 2 - (f.Landmarks.Min(p => p.Y) + f.Landmarks.Max(p => p.Y)) / 2) / Side(f.Landmarks))), -0.025, 0.025);
    }

    [SkippableFact]
    public void ARefinementPassMovesLandmarksFoundOnALooseBoxBackTowardsFaceApis()
    {
        Requires.Shared();
        using var refining = new Landmark68Net(new Landmark68Options { ModelPath = Requires.Model("face-landmarks68.onnx"), RefinementPasses = 1 });
        var image = DemoImages.Decoded(2);
        var face = FaceApiGolden.Detect(2).GetProperty("faces")[0];
        var box = face.GetProperty("detection").GetProperty("boxPx").Box();
        var expected = face.GetProperty("landmarks68").GetProperty("positionsPx").Points();
        // A box 30 % too large and shifted by 15 % of its size: the kind of box a low-threshold fallback gives.
        var loose = new FaceBox(box.X - 0.3 * box.Width, box.Y - 0.15 * box.Height, 1.6 * box.Width, 1.45 * box.Height);

        double MeanError(FaceLandmarks points) => points.Points.Zip(expected, Point2.Distance).Average();
        var firstPass = MeanError(PipelineModels.Landmarks.Detect(image, [loose])[0]!);
        var refined = MeanError(refining.Detect(image, [loose])[0]!);

        Assert.True(refined < firstPass, $"mean error {refined:F2} px after refinement, {firstPass:F2} px without");
    }
}
