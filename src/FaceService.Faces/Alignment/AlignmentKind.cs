namespace FaceService.Faces.Alignment;

/// <summary>How a model's input crop is made from a face's landmarks.</summary>
public enum AlignmentKind
{
    /// <summary>face-api's axis-aligned "alignDlib" box, padded to a square and resized (reference parity).</summary>
    FaceApiCrop,

    /// <summary>A similarity warp of five landmarks (eye centres, nose tip, mouth corners) onto a canonical template.</summary>
    SimilarityWarp,
}
