namespace FaceService.Faces.Alignment;

/// <summary>How a model's input crop is made from a face's landmarks.</summary>
public enum AlignmentKind
{
    /// <summary>face-api's axis-aligned "alignDlib" box, padded to a square and resized (reference parity).</summary>
    FaceApiCrop,

    /// <summary>
    /// A least-squares similarity warp of landmarks onto dlib's face-chip template (<c>FaceTemplate</c>; by default the
    /// five points: eye centres, nose tip, mouth corners).
    /// </summary>
    SimilarityWarp,
}
