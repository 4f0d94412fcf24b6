namespace FaceService.Gallery;

/// <summary>
/// A probe and the gallery embeddings it should be compared with come from different models. Their similarity would
/// be meaningless, so the comparison is refused instead of answered.
/// </summary>
public sealed class ModelMismatchException(string probeModelId, IReadOnlyCollection<string> galleryModelIds)
    : Exception($"The probe was embedded by model '{probeModelId}' but the gallery embeddings it would be compared with " +
                $"come from {string.Join(", ", galleryModelIds.Select(id => $"'{id}'"))}. Embeddings of different models " +
                $"cannot be compared: re-enroll the subject with '{probeModelId}', or run the service with the model the " +
                "subject was enrolled with.")
{
    public string ProbeModelId { get; } = probeModelId;

    public IReadOnlyCollection<string> GalleryModelIds { get; } = galleryModelIds;
}
