using FaceService.Api.Problems;
using FaceService.Gallery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FaceService.Api.Apis;

/// <summary>A page of a listing. Both values are optional; defaults and limits come from <c>Gallery:*PageSize</c>.</summary>
/// <param name="PageIndex" example="0">Zero-based page number.</param>
/// <param name="PageSize" example="20">Subjects per page.</param>
public sealed record PaginationRequest(
    [property: FromQuery(Name = "pageIndex")] int? PageIndex,
    [property: FromQuery(Name = "pageSize")] int? PageSize);

/// <summary>Subject management: list, inspect and erase.</summary>
public static class SubjectsApi
{
    public static IEndpointRouteBuilder MapSubjectsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/subjects").WithTags("Subjects");

        api.MapGet("/", ListSubjectsAsync)
            .WithName("ListSubjects")
            .WithSummary("List subjects, a page at a time")
            .WithDescription("Subjects ordered by id, each with its metadata and number of faces, and the total count.")
            .ProducesProblems(StatusCodes.Status400BadRequest);

        api.MapGet("/{subjectId}", GetSubjectAsync)
            .WithName("GetSubject")
            .WithSummary("A subject, its metadata and its faces")
            .WithDescription("Each face with its id, the model that embedded it, the file it came from and when it was enrolled.")
            .ProducesProblems(StatusCodes.Status404NotFound);

        api.MapDelete("/{subjectId}", DeleteSubjectAsync)
            .WithName("DeleteSubject")
            .WithSummary("Erase a subject and all of its embeddings")
            .WithDescription("Removes the subject, its metadata and every stored embedding from the store and the search index.")
            .ProducesProblems(StatusCodes.Status404NotFound);

        api.MapDelete("/{subjectId}/faces/{faceId:guid}", DeleteFaceAsync)
            .WithName("DeleteFace")
            .WithSummary("Erase one face of a subject")
            .WithDescription("Removes one embedding. A subject exists while it has faces: deleting its last face deletes the subject.")
            .ProducesProblems(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Ok<Page<SubjectSummary>>, ProblemHttpResult>> ListSubjectsAsync(
        [AsParameters] SubjectServices services, [AsParameters] PaginationRequest page, CancellationToken cancellationToken)
    {
        var options = services.GalleryOptions.Value;
        var pageIndex = page.PageIndex ?? 0;
        var pageSize = page.PageSize ?? options.DefaultPageSize;
        if (pageIndex < 0)
            return FaceProblems.Validation.Result($"'pageIndex' is {pageIndex}; pages are numbered from 0.");
        if (pageSize < 1 || pageSize > options.MaxPageSize)
            return FaceProblems.Validation.Result($"'pageSize' is {pageSize}; send a value from 1 to {options.MaxPageSize}.");
        return TypedResults.Ok(await services.Gallery.Store.ListSubjectsAsync(pageIndex, pageSize, cancellationToken));
    }

    public static async Task<Results<Ok<Subject>, ProblemHttpResult>> GetSubjectAsync(
        [AsParameters] SubjectServices services, string subjectId, CancellationToken cancellationToken)
    {
        var subject = await services.Gallery.Store.GetSubjectAsync(subjectId, cancellationToken);
        return subject is null ? FacesApi.SubjectNotFound(subjectId) : TypedResults.Ok(subject);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSubjectAsync(
        [AsParameters] SubjectServices services, string subjectId, CancellationToken cancellationToken)
    {
        var deleted = await services.Gallery.DeleteSubjectAsync(subjectId, cancellationToken);
        services.Metrics.GalleryChanged(services.Gallery);
        if (deleted)
            services.AuditLog.LogInformation("Deleted subject {SubjectId} and all of its embeddings", subjectId);
        return deleted ? TypedResults.NoContent() : FacesApi.SubjectNotFound(subjectId);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteFaceAsync(
        [AsParameters] SubjectServices services, string subjectId, Guid faceId, CancellationToken cancellationToken)
    {
        var deletion = await services.Gallery.DeleteFaceAsync(subjectId, faceId, cancellationToken);
        services.Metrics.GalleryChanged(services.Gallery);
        if (deletion != FaceDeletion.NotFound)
            services.AuditLog.LogInformation("Deleted face {FaceId} of subject {SubjectId}{SubjectGone}", faceId, subjectId,
                deletion == FaceDeletion.DeletedWithSubject ? ", its last face: the subject is gone" : "");
        return deletion == FaceDeletion.NotFound
            ? FaceProblems.FaceNotFound.Result($"Subject \"{subjectId}\" has no face {faceId}. GET /subjects/{subjectId} lists its faces.")
            : TypedResults.NoContent();
    }
}
