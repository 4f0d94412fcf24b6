using FaceService.Api.Faces;
using FaceService.Faces;

namespace FaceService.Api.Contracts;

/// <summary>How good a face is for recognition; the crop-mode fields the detector would fill are null.</summary>
/// <param name="BoxWidth">Face box width in the uploaded image, pixels.</param>
/// <param name="BoxHeight">Face box height in the uploaded image, pixels.</param>
/// <param name="InterEyeDistance">Distance between the eye centres, pixels; null for a crop.</param>
/// <param name="DetectorScore">Detector confidence 0..1; null for a crop.</param>
public sealed record FaceQualityResponse(double BoxWidth, double BoxHeight, double? InterEyeDistance, double? DetectorScore);

/// <summary>Where a face is in an upload.</summary>
/// <param name="Box">Face box in image pixels (the whole image for a crop).</param>
/// <param name="Quality">Size, inter-eye distance and detector score.</param>
/// <param name="IsCrop">True when the upload was taken as an aligned face crop instead of a photo.</param>
public sealed record FaceLocation(FaceBox Box, FaceQualityResponse Quality, bool IsCrop)
{
    public static FaceLocation From(FoundFace face) =>
        new(face.Box, new FaceQualityResponse(face.Box.Width, face.Box.Height, face.InterEyeDistance, face.DetectorScore), face.IsCrop);
}

/// <summary>One face offered for enrolment and what became of it.</summary>
/// <param name="FaceId">The stored face, or for a duplicate the face it duplicates.</param>
/// <param name="FileName">The uploaded file the face came from.</param>
/// <param name="Face">Where the face is in that file.</param>
/// <param name="Stored">False when the face was a near-duplicate and was not stored again.</param>
/// <param name="DuplicateSimilarity">For a duplicate, its cosine similarity to the face it duplicates.</param>
public sealed record EnrolledFaceResponse(Guid FaceId, string? FileName, FaceLocation Face, bool Stored, double? DuplicateSimilarity);

/// <param name="SubjectId">The subject the faces were enrolled for.</param>
/// <param name="ModelId">The embedding model; stored with every face.</param>
/// <param name="Faces">One entry per uploaded image, in upload order.</param>
public sealed record EnrollResponse(string SubjectId, string ModelId, IReadOnlyList<EnrolledFaceResponse> Faces);

/// <summary>One file of a bulk enrolment: enrolled, a duplicate, or rejected with the problem that a single enrolment would have returned.</summary>
public sealed record BulkEnrollItem(int Index, string? FileName, string SubjectId, string Status, EnrolledFaceResponse? Face, BulkEnrollProblem? Problem);

/// <param name="Type">The problem type URI (see docs/API.md).</param>
/// <param name="Status">The HTTP status a single enrolment would have returned.</param>
/// <param name="Detail">What to fix.</param>
public sealed record BulkEnrollProblem(string Type, int Status, string Detail);

/// <param name="ModelId">The embedding model.</param>
/// <param name="Enrolled">Files whose face was stored.</param>
/// <param name="Duplicates">Files whose face was already stored for that subject.</param>
/// <param name="Rejected">Files that could not be enrolled; each item says why.</param>
/// <param name="Items">One item per uploaded file, in upload order.</param>
public sealed record BulkEnrollResponse(string ModelId, int Enrolled, int Duplicates, int Rejected, IReadOnlyList<BulkEnrollItem> Items);

/// <param name="ModelId">The embedding model both sides were compared with.</param>
/// <param name="Similarity">Cosine similarity of the probe to the best face of the subject, or to the reference image's face.</param>
/// <param name="Threshold">The threshold used: the request's, or the default operating point.</param>
/// <param name="Match">Similarity strictly above the threshold (the rule the operating points were measured with).</param>
/// <param name="SubjectId">The subject verified against, when verifying against a subject.</param>
/// <param name="MatchedFaceId">The subject's face that was most similar.</param>
/// <param name="Probe">The probe face used (the largest in the probe image).</param>
/// <param name="Reference">The reference face used, when verifying against a second image.</param>
public sealed record VerifyResponse(string ModelId, double Similarity, double Threshold, bool Match, string? SubjectId,
    Guid? MatchedFaceId, FaceLocation Probe, FaceLocation? Reference);

/// <param name="SubjectId">A subject.</param>
/// <param name="FaceId">The subject's face most similar to the probe.</param>
/// <param name="Similarity">Cosine similarity of that face to the probe.</param>
public sealed record IdentifyCandidate(string SubjectId, Guid FaceId, double Similarity);

/// <param name="Face">Where the face is in the probe image.</param>
/// <param name="Unknown">True when no subject is above the threshold (open set).</param>
/// <param name="SubjectId">The identified subject: the best candidate if it is above the threshold, else null.</param>
/// <param name="Similarity">The best candidate's similarity, if any.</param>
/// <param name="Candidates">The top-k subjects, best first, each by its best face; listed even below the threshold.</param>
public sealed record IdentifiedFace(FaceLocation Face, bool Unknown, string? SubjectId, double? Similarity, IReadOnlyList<IdentifyCandidate> Candidates);

/// <param name="ModelId">The embedding model.</param>
/// <param name="Threshold">The threshold used.</param>
/// <param name="Faces">The largest face, or every face with allFaces=true, largest first.</param>
public sealed record IdentifyResponse(string ModelId, double Threshold, IReadOnlyList<IdentifiedFace> Faces);

/// <param name="Face">Box and quality.</param>
/// <param name="Landmarks">The 68 landmarks (iBUG 300-W order), image pixels.</param>
public sealed record DetectedFaceResponse(FaceLocation Face, IReadOnlyList<Point2> Landmarks);

/// <param name="Width">Image width after EXIF orientation.</param>
/// <param name="Height">Image height after EXIF orientation.</param>
/// <param name="Faces">Every face found, largest first.</param>
public sealed record DetectResponse(int Width, int Height, IReadOnlyList<DetectedFaceResponse> Faces);

/// <param name="Id">Stored with every embedding; faces of another model are never compared with this one.</param>
/// <param name="InputSize">Side of the aligned face the model takes, pixels.</param>
/// <param name="Dimension">Embedding length.</param>
/// <param name="Alignment">How faces are aligned for this model.</param>
/// <param name="OperatingPoints">Thresholds for target false-accept rates, from the model card.</param>
/// <param name="DefaultThreshold">The threshold used when a request sends none.</param>
/// <param name="DefaultTargetFar">The false-accept rate the default threshold targets (null when pinned in configuration).</param>
/// <param name="DefaultThresholdSource">Where the default threshold came from.</param>
public sealed record ModelResponse(string Id, int InputSize, int Dimension, string Alignment,
    IReadOnlyList<FaceService.Embeddings.OperatingPoint> OperatingPoints, double DefaultThreshold, double? DefaultTargetFar, string DefaultThresholdSource);
