using Microsoft.AspNetCore.Http.HttpResults;

namespace FaceService.Api.Problems;

/// <summary>
/// One RFC 9457 problem kind: a stable <c>type</c> URI (documented in docs/API.md), its HTTP status and title.
/// The <c>detail</c> of each response says what to fix.
/// </summary>
public sealed record ProblemKind(string Slug, int Status, string Title)
{
    public const string BaseUri = "https://faceservice.dev/problems/";

    public string Type => BaseUri + Slug;

    public ProblemHttpResult Result(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: Status, title: Title, type: Type, extensions: extensions);
}

/// <summary>Every problem the service reports.</summary>
public static class FaceProblems
{
    public static readonly ProblemKind Validation = new("validation", StatusCodes.Status400BadRequest, "The request is invalid");
    public static readonly ProblemKind MissingImage = new("missing-image", StatusCodes.Status400BadRequest, "An image file is missing");
    public static readonly ProblemKind EmptyImage = new("empty-image", StatusCodes.Status400BadRequest, "An image file is empty");
    public static readonly ProblemKind UnsupportedImage = new("unsupported-image", StatusCodes.Status415UnsupportedMediaType, "The file is not an image in a supported format");
    public static readonly ProblemKind CorruptImage = new("corrupt-image", StatusCodes.Status422UnprocessableEntity, "The image data is corrupt or truncated");
    public static readonly ProblemKind TooManyPixels = new("too-many-pixels", StatusCodes.Status413PayloadTooLarge, "The image has too many pixels");
    public static readonly ProblemKind RequestTooLarge = new("request-too-large", StatusCodes.Status413PayloadTooLarge, "The request body is too large");
    public static readonly ProblemKind NoFace = new("no-face", StatusCodes.Status422UnprocessableEntity, "No face was found");
    public static readonly ProblemKind MultipleFaces = new("multiple-faces", StatusCodes.Status422UnprocessableEntity, "More than one face was found");
    public static readonly ProblemKind SubjectNotFound = new("subject-not-found", StatusCodes.Status404NotFound, "The subject does not exist");
    public static readonly ProblemKind FaceNotFound = new("face-not-found", StatusCodes.Status404NotFound, "The face does not exist");
    public static readonly ProblemKind ModelMismatch = new("model-mismatch", StatusCodes.Status409Conflict, "The embeddings come from different models");
    public static readonly ProblemKind MissingApiKey = new("missing-api-key", StatusCodes.Status401Unauthorized, "An API key is required");
    public static readonly ProblemKind InvalidApiKey = new("invalid-api-key", StatusCodes.Status401Unauthorized, "The API key is not valid");
    public static readonly ProblemKind NotFound = new("not-found", StatusCodes.Status404NotFound, "There is no such resource");
    public static readonly ProblemKind MethodNotAllowed = new("method-not-allowed", StatusCodes.Status405MethodNotAllowed, "The method is not allowed on this resource");
    public static readonly ProblemKind UnsupportedMediaType = new("unsupported-media-type", StatusCodes.Status415UnsupportedMediaType, "The request must be multipart/form-data");
    public static readonly ProblemKind Internal = new("internal", StatusCodes.Status500InternalServerError, "The service failed unexpectedly");

    public static IReadOnlyList<ProblemKind> All { get; } =
    [
        Validation, MissingImage, EmptyImage, UnsupportedImage, CorruptImage, TooManyPixels, RequestTooLarge, NoFace,
        MultipleFaces, SubjectNotFound, FaceNotFound, ModelMismatch, MissingApiKey, InvalidApiKey, NotFound,
        MethodNotAllowed, UnsupportedMediaType, Internal,
    ];
}
