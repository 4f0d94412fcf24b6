using FaceService.Faces;
using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace FaceService.Benchmarks.LoadTest;

/// <summary>One demo subject: its full photo and an aligned low-resolution crop of its largest face (PNG).</summary>
public sealed record LoadSubject(string SubjectId, byte[] PhotoJpeg, byte[] CropPng);

/// <summary>
/// The load test's inputs, made from face-api's demo photos with the project's own pipeline: each photo's largest face,
/// similarity-warp aligned at 150 px and area-downscaled to <see cref="CropSize"/> px, as a surveillance system would
/// send it (the service's mode=auto takes an image this small as an aligned crop).
/// </summary>
public static class LoadInputs
{
    public const int CropSize = 24;

    public static IReadOnlyList<LoadSubject> FromDemoPhotos()
    {
        var options = new FaceAnalysisOptions();
        options.Detector.ModelPath = Path.Combine(RepoPaths.Models, "face-detector.onnx");
        options.Landmarks.ModelPath = Path.Combine(RepoPaths.Models, "face-landmarks68.onnx");
        using var services = new ServiceCollection().AddFaceAnalysis(options).BuildServiceProvider();
        var analyzer = services.GetRequiredService<IFaceAnalyzer>();

        var subjects = new List<LoadSubject>();
        for (var k = 1; k <= 6; k++)
        {
            var jpeg = File.ReadAllBytes(RepoPaths.DemoPhoto(k));
            var faces = analyzer.Analyze(ImageDecoder.Decode(jpeg, options.Decode), AlignmentKind.SimilarityWarp, 150);
            var largest = faces.MaxBy(f => f.Detection.Box.Width * f.Detection.Box.Height);
            if (largest is null)
                continue;
            subjects.Add(new LoadSubject($"demo-{k}", jpeg, Png(largest.Aligned)));
        }
        if (subjects.Count == 0)
            throw new InvalidOperationException("No face found in the demo photos: are models/ and models/.cache complete (`make models`)?");
        return subjects;
    }

    private static byte[] Png(AlignedFace face)
    {
        var small = AreaDownscale.Resize(face.Pixels, face.Width, face.Height, 3, CropSize, CropSize);
        var bytes = small.Select(v => (byte)Math.Clamp(MathF.Round(v), 0, 255)).ToArray();
        using var image = Image.LoadPixelData<Rgb24>(bytes, CropSize, CropSize);
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        return png.ToArray();
    }
}
