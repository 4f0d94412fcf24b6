using FaceService.Faces.Alignment;
using FaceService.Faces.Detection;
using FaceService.Faces.Landmarks;
using Microsoft.Extensions.DependencyInjection;

namespace FaceService.Faces;

public static class FaceAnalysisServiceCollectionExtensions
{
    /// <summary>
    /// Registers the face pipeline as singletons (ONNX sessions are opened once, on first use, and are thread-safe):
    /// <see cref="IFaceAnalyzer"/>, <see cref="IFaceDetector"/> (the cascade: <see cref="FaceAnalysisOptions.DetectorKind"/>'s
    /// detector first, the tiny detector's fallbacks after it), <see cref="TinyFaceDetector"/>, <see cref="SsdMobilenetV1Detector"/>,
    /// <see cref="IFaceLandmarker"/>, both <see cref="IFaceAligner"/>s, and the options objects themselves.
    /// </summary>
    public static IServiceCollection AddFaceAnalysis(this IServiceCollection services, FaceAnalysisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(options.Decode);
        services.AddSingleton(_ => new TinyFaceDetector(options.Detector));
        services.AddSingleton(_ => new SsdMobilenetV1Detector(options.SsdDetector));
        services.AddSingleton<IFaceDetector>(sp => options.DetectorKind switch
        {
            DetectorKind.TinyFaceDetector => new CascadeFaceDetector(sp.GetRequiredService<TinyFaceDetector>(), options.Cascade),
            // The tiny detector's session is opened only when its fallbacks can run.
            DetectorKind.SsdMobilenetV1 => new CascadeFaceDetector(sp.GetRequiredService<SsdMobilenetV1Detector>(), options.Cascade,
                options.Cascade.Enabled ? sp.GetRequiredService<TinyFaceDetector>() : null),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.DetectorKind, "Faces:DetectorKind must be TinyFaceDetector or SsdMobilenetV1."),
        });
        services.AddSingleton<IFaceLandmarker>(_ => new Landmark68Net(options.Landmarks));
        services.AddSingleton<IFaceAligner, FaceApiCropAligner>();
        services.AddSingleton<IFaceAligner>(_ => new SimilarityWarpAligner());
        services.AddSingleton<IFaceAnalyzer, FaceAnalyzer>();
        return services;
    }
}
