using FaceService.Api.Faces;
using FaceService.Api.Options;
using FaceService.Gallery;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FaceService.Api.Problems;

/// <summary>
/// Turns the typed errors of the pipeline, the gallery and request parsing into RFC 9457 ProblemDetails with a stable
/// type. Anything else is a 500 whose detail points to the log, never a stack trace.
/// </summary>
public sealed class ProblemExceptionHandler(
    IProblemDetailsService problemDetails,
    IOptions<UploadLimits> limits,
    ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
            return true; // the client went away; there is no one to answer

        var (kind, detail) = Classify(exception);
        if (kind.Status >= 500)
            logger.LogError(exception, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
        else
            logger.LogInformation("Request {Method} {Path} refused: {ProblemType} {Detail}", context.Request.Method, context.Request.Path, kind.Type, detail);

        context.Response.StatusCode = kind.Status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = kind.Status, Type = kind.Type, Title = kind.Title, Detail = detail },
        });
    }

    private (ProblemKind Kind, string Detail) Classify(Exception exception) => exception switch
    {
        FaceRequestException e => (e.Kind, e.Message),
        ModelMismatchException e => (FaceProblems.ModelMismatch, e.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => TooLarge(),
        BadHttpRequestException { InnerException: InvalidDataException inner } when inner.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) => TooLarge(),
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
            (FaceProblems.UnsupportedMediaType, "Send the images as multipart/form-data (curl -F image=@photo.jpg ...), not as a raw or JSON body."),
        BadHttpRequestException e => (FaceProblems.Validation, e.Message),
        _ => (FaceProblems.Internal, "The service failed unexpectedly. The error is logged with this response's traceId; please report it."),
    };

    private (ProblemKind, string) TooLarge() =>
        (FaceProblems.RequestTooLarge, $"The request body is larger than {limits.Value.MaxRequestBytes} bytes (Uploads:MaxRequestBytes). Send fewer or smaller images per request.");
}
