using FaceService.Faces.Alignment;
using FaceService.Faces.Detection;
using FaceService.Faces.Landmarks;
using Microsoft.Extensions.DependencyInjection;

namespace FaceService.Faces;

public static class FaceAnalysisServiceCollectionExtensions
{
    /// <summary>
    /// Registers the face pipeline as singletons (ONNX sessions are opened once, on first use, and are thread-safe):
    /// <see cref="IFaceAnalyzer"/>, <see cref="IFaceDetector"/> (<see cref="ConfiguredFaceDetector"/>: <see cref="FaceAnalysisOptions.DetectorKind"/>'s
    /// detector first, the tiny detector's fallbacks after it), <see cref="IFaceLandmarker"/>, both <see cref="IFaceAligner"/>s,
    /// and the options objects themselves.
    /// </summary>
    public static IServiceCollection AddFaceAnalysis(this IServiceCollection services, FaceAnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(options.Decode);
        services.AddSingleton<IFaceDetector>(_ => new ConfiguredFaceDetector(options));
        services.AddSingleton<IFaceLandmarker>(_ => new Landmark68Net(options.Landmarks));
        services.AddSingleton<IFaceAligner, FaceApiCropAligner>();
        services.AddSingleton<IFaceAligner>(_ => new SimilarityWarpAligner());
        services.AddSingleton<IFaceAnalyzer, FaceAnalyzer>();
        return services;
    }
}
