using FaceService.Gallery;
using Prometheus;

namespace FaceService.Api;

/// <summary>
/// The service's own Prometheus metrics (request latency by endpoint comes from prometheus-net's HTTP middleware).
/// prometheus-net metrics are process-wide, so this type only holds references to them.
/// </summary>
public sealed class FaceServiceMetrics
{
    private static readonly Counter Embedded = Metrics.CreateCounter(
        "faceservice_faces_embedded_total", "Faces embedded, by model.", new CounterConfiguration { LabelNames = ["model"] });

    private static readonly Gauge GalleryFaces = Metrics.CreateGauge(
        "faceservice_gallery_faces", "Face embeddings in the gallery.");

    private static readonly Gauge GallerySubjects = Metrics.CreateGauge(
        "faceservice_gallery_subjects", "Subjects in the gallery.");

    public void FacesEmbedded(string modelId, int count) => Embedded.WithLabels(modelId).Inc(count);

    public void GalleryChanged(FaceGallery gallery)
    {
        GalleryFaces.Set(gallery.FaceCount);
        GallerySubjects.Set(gallery.SubjectCount);
    }
}
