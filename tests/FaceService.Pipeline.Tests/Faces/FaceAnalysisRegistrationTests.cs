using FaceService.Faces;
using FaceService.Faces.Detection;
using FaceService.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FaceService.Pipeline.Tests.Faces;

/// <summary><c>Faces:DetectorKind</c> picks the cascade's primary detector; the fallbacks stay on the tiny detector.</summary>
public sealed class FaceAnalysisRegistrationTests
{
    [Theory]
    [InlineData(DetectorKind.TinyFaceDetector, true, new[] { "416@0.5", "320@0.5", "224@0.5", "416@0.2-centre", "320@0.2-centre", "224@0.2-centre" })]
    [InlineData(DetectorKind.SsdMobilenetV1, true, new[] { "ssd512@0.5", "416@0.5", "320@0.5", "224@0.5", "ssd512@0.2-centre", "416@0.2-centre", "320@0.2-centre", "224@0.2-centre" })]
    [InlineData(DetectorKind.SsdMobilenetV1, false, new[] { "ssd512@0.5" })]
    public void The_detector_kind_chooses_the_primary_pass(DetectorKind kind, bool cascade, string[] expectedStages)
    {
        var options = new FaceAnalysisOptions
        {
            DetectorKind = kind,
            Detector = { ModelPath = Requires.Model("face-detector.onnx") },
            SsdDetector = { ModelPath = Requires.Model("face-detector-ssd.onnx") },
            Cascade = { Enabled = cascade },
        };
        using var services = new ServiceCollection().AddFaceAnalysis(options).BuildServiceProvider();

        var detector = Assert.IsType<ConfiguredFaceDetector>(services.GetRequiredService<IFaceDetector>());

        Assert.Equal(expectedStages, detector.Stages.Select(s => s.ToString()));
    }
}
