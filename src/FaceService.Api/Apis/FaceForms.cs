using Microsoft.AspNetCore.Mvc;

namespace FaceService.Api.Apis;

// The multipart fields of each face endpoint. Every field is optional at binding time so that a missing one is
// reported by the handler as a ProblemDetails that names it, not as a bare binding failure.

/// <param name="SubjectId" example="alice">The subject (person) to enrol the faces for: 1-128 characters of letters, digits, '.', '_', '-' or '@'.</param>
/// <param name="Images">One or more photos of the subject (or aligned face crops), each showing one face.</param>
/// <param name="Metadata" example="{&quot;name&quot;:&quot;Alice Liddell&quot;}">Optional JSON object of string values merged into the subject's metadata.</param>
/// <param name="Mode" example="auto">auto (default) | detect | crop. auto treats images at most CropMode:AutoMaxSide px on both sides as aligned face crops.</param>
/// <param name="LargestFace">When a photo shows several faces: false (default) refuses it with 422 multiple-faces; true enrols the largest face.</param>
public sealed record EnrollForm(
    [FromForm(Name = "subjectId")] string? SubjectId,
    IFormFileCollection? Images,
    [FromForm(Name = "metadata")] string? Metadata,
    [FromForm(Name = "mode")] string? Mode,
    [FromForm(Name = "largestFace")] bool? LargestFace);

/// <param name="Images">The photos (or aligned face crops), one face each.</param>
/// <param name="SubjectIds" example="alice,bob">The subject of each image, in the same order as the images: repeat the field once per image, or send one comma-separated list.</param>
/// <param name="Mode" example="auto">auto (default) | detect | crop, as for /enroll.</param>
/// <param name="LargestFace">When a photo shows several faces, enrol the largest instead of rejecting that file.</param>
public sealed record BulkEnrollForm(
    IFormFileCollection? Images,
    [FromForm(Name = "subjectIds")] string? SubjectIds,
    [FromForm(Name = "mode")] string? Mode,
    [FromForm(Name = "largestFace")] bool? LargestFace);

/// <param name="Probe">The photo (or aligned face crop) to verify; its largest face is used.</param>
/// <param name="SubjectId" example="alice">Verify against this enrolled subject (give this or reference, not both).</param>
/// <param name="Reference">Verify against the largest face of this second image instead of a subject.</param>
/// <param name="Threshold" example="0.9">Cosine threshold for this request, -1..1; default: the model's operating point (see GET /model).</param>
/// <param name="Mode" example="auto">auto (default) | detect | crop, applied to both images.</param>
public sealed record VerifyForm(
    IFormFile? Probe,
    [FromForm(Name = "subjectId")] string? SubjectId,
    IFormFile? Reference,
    [FromForm(Name = "threshold")] double? Threshold,
    [FromForm(Name = "mode")] string? Mode);

/// <param name="Probe">The photo (or aligned face crop) to identify.</param>
/// <param name="TopK" example="5">How many candidate subjects to return per face, 1..Gallery:MaxTopK; default Gallery:DefaultTopK.</param>
/// <param name="Threshold" example="0.9">Cosine threshold for this request, -1..1; below it a face is "unknown".</param>
/// <param name="AllFaces">false (default): identify the largest face; true: every face in the image.</param>
/// <param name="Mode" example="auto">auto (default) | detect | crop.</param>
public sealed record IdentifyForm(
    IFormFile? Probe,
    [FromForm(Name = "topK")] int? TopK,
    [FromForm(Name = "threshold")] double? Threshold,
    [FromForm(Name = "allFaces")] bool? AllFaces,
    [FromForm(Name = "mode")] string? Mode);

/// <param name="Image">The photo to find faces in.</param>
public sealed record DetectForm(IFormFile? Image);
