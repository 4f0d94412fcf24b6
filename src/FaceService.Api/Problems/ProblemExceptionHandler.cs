using System.Text.RegularExpressions;
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
public sealed partial class ProblemExceptionHandler(
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
        BadHttpRequestException e when BindingFailure().Match(e.Message) is { Success: true } failure =>
            (FaceProblems.Validation, $"'{CamelCase(failure.Groups["name"].Value)}' cannot be \"{failure.Groups["value"].Value}\": send a {Describe(failure.Groups["type"].Value)}."),
        BadHttpRequestException e => (FaceProblems.Validation, e.Message),
        _ => (FaceProblems.Internal, "The service failed unexpectedly. The error is logged with this response's traceId; please report it."),
    };

    private static string CamelCase(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static string Describe(string type) => type switch
    {
        "Nullable<int>" or "int" => "whole number",
        "Nullable<double>" or "double" => "number, with '.' as the decimal point",
        "Nullable<bool>" or "bool" => "boolean: true or false",
        _ => type,
    };

    /// <summary>The framework's message for a form or query value that does not parse, e.g. topK=many.</summary>
    [GeneratedRegex("""^Failed to bind parameter "(?<type>\S+) (?<name>\w+)" from "(?<value>.*)"\.$""")]
    private static partial Regex BindingFailure();

    private (ProblemKind, string) TooLarge() =>
        (FaceProblems.RequestTooLarge, $"The request body is larger than {limits.Value.MaxRequestBytes} bytes (Uploads:MaxRequestBytes). Send fewer or smaller images per request.");
}
