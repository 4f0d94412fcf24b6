using FaceService.Api.Faces;
using FaceService.Api.Options;
using FaceService.Gallery;
using Microsoft.Extensions.Options;

namespace FaceService.Api.Apis;

/// <summary>What the face endpoints need, bundled for <c>[AsParameters]</c>.</summary>
public sealed record FaceServices(
    FaceProcessor Processor,
    FaceGallery Gallery,
    ThresholdPolicy Thresholds,
    IOptions<GalleryOptions> GalleryOptions,
    IOptions<UploadLimits> UploadLimits,
    FaceServiceMetrics Metrics,
    ILogger<FaceGallery> AuditLog);

/// <summary>What the subject endpoints need, bundled for <c>[AsParameters]</c>.</summary>
public sealed record SubjectServices(FaceGallery Gallery, IOptions<GalleryOptions> GalleryOptions, FaceServiceMetrics Metrics, ILogger<FaceGallery> AuditLog);
