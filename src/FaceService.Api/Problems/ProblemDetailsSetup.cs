using FaceService.Api.Options;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FaceService.Api.Problems;

public static class ProblemDetailsSetup
{
    /// <summary>
    /// ProblemDetails for every error: the exception handler for typed errors, and status-code pages for responses the
    /// framework ends without a body (unknown route, wrong method), which get the service's own type URIs here.
    /// </summary>
    public static IServiceCollection AddFaceServiceProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (problem.Type?.StartsWith(ProblemKind.BaseUri, StringComparison.Ordinal) == true)
                return;
            var request = context.HttpContext.Request;
            var kind = problem.Status switch
            {
                StatusCodes.Status404NotFound => FaceProblems.NotFound,
                StatusCodes.Status405MethodNotAllowed => FaceProblems.MethodNotAllowed,
                StatusCodes.Status415UnsupportedMediaType => FaceProblems.UnsupportedMediaType,
                StatusCodes.Status413PayloadTooLarge => FaceProblems.RequestTooLarge,
                StatusCodes.Status400BadRequest => FaceProblems.Validation,
                _ => null,
            };
            if (kind is null)
                return;
            problem.Type = kind.Type;
            problem.Title = kind.Title;
            problem.Detail ??= problem.Status switch
            {
                StatusCodes.Status404NotFound => $"There is no resource at {request.Path}. The API is described at /swagger.",
                StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}. The API is described at /swagger.",
                StatusCodes.Status415UnsupportedMediaType => $"{request.Path} takes multipart/form-data (curl -F field=@file ...); the request was {request.ContentType ?? "without a content type"}.",
                StatusCodes.Status413PayloadTooLarge => "The request body is too large. Send fewer or smaller images per request.",
                _ => "The request is malformed. The API is described at /swagger.",
            };
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        return services;
    }

    /// <summary>
    /// Refuses a request whose declared length is over <see cref="UploadLimits.MaxRequestBytes"/> with a 413 ProblemDetails
    /// before its body is read. Bodies without a length are capped by Kestrel's and the form reader's limits, whose errors
    /// the exception handler maps to the same 413.
    /// </summary>
    public static IApplicationBuilder UseRequestSizeLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var limit = context.RequestServices.GetRequiredService<IOptions<UploadLimits>>().Value.MaxRequestBytes;
            if (context.Request.ContentLength > limit)
            {
                var kind = FaceProblems.RequestTooLarge;
                context.Response.StatusCode = kind.Status;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = kind.Status, Type = kind.Type, Title = kind.Title,
                        Detail = $"The request body is {context.Request.ContentLength} bytes; the limit is {limit} bytes (Uploads:MaxRequestBytes). Send fewer or smaller images per request.",
                    },
                });
                return;
            }
            await next(context);
        });
}
