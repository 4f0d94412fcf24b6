using System.Text.Json;
using System.Text.RegularExpressions;
using FaceService.Api.Contracts;
using FaceService.Api.Faces;
using FaceService.Api.Problems;
using FaceService.Gallery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FaceService.Api.Apis;

/// <summary>Enrol, verify, identify and detect: every route that takes images.</summary>
public static partial class FacesApi
{
    public static IEndpointRouteBuilder MapFacesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Faces").DisableAntiforgery();

        api.MapPost("/enroll", EnrollAsync)
            .WithName("Enroll")
            .WithSummary("Enrol faces of a subject")
            .WithDescription("Detects and aligns the one face of each uploaded photo (or takes aligned crops as they are), embeds it and stores it for the subject, " +
                             "creating the subject if needed. A face nearly identical to one the subject already has is reported (stored=false) and not stored twice. " +
                             "All images are stored in one transaction, or none: a photo with no face (422 no-face) or several faces (422 multiple-faces, unless largestFace=true) fails the request.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/enroll/bulk", BulkEnrollAsync)
            .WithName("BulkEnroll")
            .WithSummary("Enrol many files, each for its own subject")
            .WithDescription("Each image goes with the subjectIds value at the same position. Files are judged one by one: each item says enrolled, duplicate or rejected " +
                             "(with the problem a single /enroll would have returned). The accepted faces are stored in one transaction.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge);

        api.MapPost("/verify", VerifyAsync)
            .WithName("Verify")
            .WithSummary("Is the probe the same person as a subject, or as a second image?")
            .WithDescription("Compares the largest face of the probe with the subject's most similar face (subjectId) or with the largest face of a reference image. " +
                             "Returns the cosine similarity, the threshold used, the decision and the model id. A subject enrolled with another model gives 409 model-mismatch.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/identify", IdentifyAsync)
            .WithName("Identify")
            .WithSummary("Who is this? Open-set search of the gallery")
            .WithDescription("Returns the top-k subjects for the largest face (or for every face with allFaces=true), each subject scored by its best face. " +
                             "When the best similarity is below the threshold the face is unknown (unknown=true, subjectId=null).")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/detect", DetectAsync)
            .WithName("Detect")
            .WithSummary("Find faces: boxes, 68 landmarks and quality")
            .WithDescription("Runs the detector and the landmark net on the photo. An image without faces gives an empty list.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/model", GetModel)
            .WithName("GetModel")
            .WithSummary("The embedding model in use and its thresholds")
            .WithDescription("The model id stored with every embedding, its input and alignment, its operating points, and the default threshold with where it came from.");

        return app;
    }

    public static async Task<Results<Ok<EnrollResponse>, ProblemHttpResult>> EnrollAsync(
        [AsParameters] FaceServices services, [AsParameters] EnrollForm form, CancellationToken cancellationToken)
    {
        if (ValidateSubjectId(form.SubjectId, "subjectId") is { } badSubject)
            return badSubject;
        if (!FaceInputModes.TryParse(form.Mode, out var mode))
            return InvalidMode(form.Mode);
        if (ParseMetadata(form.Metadata, out var metadata) is { } badMetadata)
            return badMetadata;
        if (ValidateImageCount(form.Images, services) is { } badImages)
            return badImages;

        var chosen = new List<(FoundFace Face, string? FileName)>();
        foreach (var file in form.Images!)
        {
            var upload = await services.Processor.ReadAsync(file, "images", cancellationToken);
            var faces = services.Processor.FindFaces(upload, mode);
            if (faces.Count == 0)
                return NoFace(upload);
            if (faces.Count > 1 && form.LargestFace != true)
                return FaceProblems.MultipleFaces.Result(
                    $"'images' ({upload.FileName}) shows {faces.Count} faces; an enrolment photo must show only the subject. " +
                    "Crop the photo to the subject, or send largestFace=true to enrol the largest face.");
            chosen.Add((faces[0], upload.FileName));
        }

        var embeddings = services.Processor.Embed(chosen.Select(c => c.Face).ToArray());
        var entry = new EnrollBatchEntry(form.SubjectId!, metadata,
            embeddings.Select((e, i) => new FaceToEnroll(e, chosen[i].FileName)).ToArray());
        var outcomes = (await services.Gallery.EnrollAsync([entry], services.GalleryOptions.Value.DuplicateSimilarity, cancellationToken))[0];
        services.Metrics.GalleryChanged(services.Gallery);

        services.AuditLog.LogInformation("Enrolled subject {SubjectId}: {Stored} face(s) stored, {Duplicates} duplicate(s), model {ModelId}",
            form.SubjectId, outcomes.Count(o => !o.IsDuplicate), outcomes.Count(o => o.IsDuplicate), services.Processor.Model.Id);
        var faceResponses = outcomes.Select((o, i) => ToResponse(o, chosen[i].FileName, chosen[i].Face)).ToArray();
        return TypedResults.Ok(new EnrollResponse(form.SubjectId!, services.Processor.Model.Id, faceResponses));
    }

    public static async Task<Results<Ok<BulkEnrollResponse>, ProblemHttpResult>> BulkEnrollAsync(
        [AsParameters] FaceServices services, [AsParameters] BulkEnrollForm form, CancellationToken cancellationToken)
    {
        if (!FaceInputModes.TryParse(form.Mode, out var mode))
            return InvalidMode(form.Mode);
        if (ValidateImageCount(form.Images, services) is { } badImages)
            return badImages;
        var images = form.Images!;
        // A repeated form field binds as its values joined by commas, and ids cannot contain commas, so both spellings split alike.
        var subjectIds = form.SubjectIds?.Split(',', StringSplitOptions.TrimEntries) ?? [];
        if (subjectIds.Length != images.Count)
            return FaceProblems.Validation.Result(
                $"Got {images.Count} images and {subjectIds.Length} subjectIds: send one 'subjectIds' value per image, in the same order.");
        for (var i = 0; i < subjectIds.Length; i++)
            if (ValidateSubjectId(subjectIds[i], $"subjectIds[{i}]") is { } badSubject)
                return badSubject;

        var items = new BulkEnrollItem?[images.Count];
        var accepted = new List<(int Index, FoundFace Face)>();
        for (var i = 0; i < images.Count; i++)
        {
            try
            {
                var upload = await services.Processor.ReadAsync(images[i], $"images[{i}]", cancellationToken);
                var faces = services.Processor.FindFaces(upload, mode);
                if (faces.Count == 0)
                    throw new FaceRequestException(FaceProblems.NoFace, NoFaceDetail(upload));
                if (faces.Count > 1 && form.LargestFace != true)
                    throw new FaceRequestException(FaceProblems.MultipleFaces,
                        $"'images[{i}]' ({upload.FileName}) shows {faces.Count} faces; send a photo of the subject alone, or largestFace=true.");
                accepted.Add((i, faces[0]));
            }
            catch (FaceRequestException e)
            {
                items[i] = new BulkEnrollItem(i, images[i].FileName, subjectIds[i], "rejected", null,
                    new BulkEnrollProblem(e.Kind.Type, e.Kind.Status, e.Message));
            }
        }

        var embeddings = services.Processor.Embed(accepted.Select(a => a.Face).ToArray());
        var batch = accepted.Select((a, k) => new EnrollBatchEntry(subjectIds[a.Index], null,
            [new FaceToEnroll(embeddings[k], images[a.Index].FileName)])).ToArray();
        var outcomes = await services.Gallery.EnrollAsync(batch, services.GalleryOptions.Value.DuplicateSimilarity, cancellationToken);
        services.Metrics.GalleryChanged(services.Gallery);
        for (var k = 0; k < accepted.Count; k++)
        {
            var (index, face) = accepted[k];
            var outcome = outcomes[k][0];
            items[index] = new BulkEnrollItem(index, images[index].FileName, subjectIds[index], outcome.IsDuplicate ? "duplicate" : "enrolled",
                ToResponse(outcome, images[index].FileName, face), null);
        }

        var all = items.Select(item => item!).ToArray();
        var enrolled = all.Count(x => x.Status == "enrolled");
        var duplicates = all.Count(x => x.Status == "duplicate");
        var rejected = all.Count(x => x.Status == "rejected");
        services.AuditLog.LogInformation("Bulk enrolment: {Enrolled} enrolled, {Duplicates} duplicate(s), {Rejected} rejected, model {ModelId}",
            enrolled, duplicates, rejected, services.Processor.Model.Id);
        return TypedResults.Ok(new BulkEnrollResponse(services.Processor.Model.Id, enrolled, duplicates, rejected, all));
    }

    public static async Task<Results<Ok<VerifyResponse>, ProblemHttpResult>> VerifyAsync(
        [AsParameters] FaceServices services, [AsParameters] VerifyForm form, CancellationToken cancellationToken)
    {
        if (!FaceInputModes.TryParse(form.Mode, out var mode))
            return InvalidMode(form.Mode);
        if (InvalidThreshold(form.Threshold) is { } badThreshold)
            return badThreshold;
        var hasSubject = !string.IsNullOrEmpty(form.SubjectId);
        if (hasSubject == (form.Reference is not null))
            return FaceProblems.Validation.Result("Send exactly one of 'subjectId' (verify against an enrolled subject) and 'reference' (verify against a second image).");
        if (hasSubject && ValidateSubjectId(form.SubjectId, "subjectId") is { } badSubject)
            return badSubject;

        var probeUpload = await services.Processor.ReadAsync(form.Probe, "probe", cancellationToken);
        var probeFaces = services.Processor.FindFaces(probeUpload, mode);
        if (probeFaces.Count == 0)
            return NoFace(probeUpload);
        var threshold = services.Thresholds.Resolve(form.Threshold);
        var modelId = services.Processor.Model.Id;

        if (hasSubject)
        {
            var probe = services.Processor.Embed([probeFaces[0]])[0];
            var best = services.Gallery.CompareWithSubject(form.SubjectId!, probe);
            if (best is null)
                return SubjectNotFound(form.SubjectId!);
            return TypedResults.Ok(new VerifyResponse(modelId, best.Similarity, threshold, best.Similarity > threshold,
                form.SubjectId, best.FaceId, FaceLocation.From(probeFaces[0]), null));
        }

        var referenceUpload = await services.Processor.ReadAsync(form.Reference, "reference", cancellationToken);
        var referenceFaces = services.Processor.FindFaces(referenceUpload, mode);
        if (referenceFaces.Count == 0)
            return NoFace(referenceUpload);
        var pair = services.Processor.Embed([probeFaces[0], referenceFaces[0]]);
        var similarity = pair[0].CosineSimilarity(pair[1]);
        return TypedResults.Ok(new VerifyResponse(modelId, similarity, threshold, similarity > threshold, null, null,
            FaceLocation.From(probeFaces[0]), FaceLocation.From(referenceFaces[0])));
    }

    public static async Task<Results<Ok<IdentifyResponse>, ProblemHttpResult>> IdentifyAsync(
        [AsParameters] FaceServices services, [AsParameters] IdentifyForm form, CancellationToken cancellationToken)
    {
        if (!FaceInputModes.TryParse(form.Mode, out var mode))
            return InvalidMode(form.Mode);
        if (InvalidThreshold(form.Threshold) is { } badThreshold)
            return badThreshold;
        var options = services.GalleryOptions.Value;
        var topK = form.TopK ?? options.DefaultTopK;
        if (topK < 1 || topK > options.MaxTopK)
            return FaceProblems.Validation.Result($"'topK' is {topK}; send a value from 1 to {options.MaxTopK}.");

        var upload = await services.Processor.ReadAsync(form.Probe, "probe", cancellationToken);
        var faces = services.Processor.FindFaces(upload, mode);
        if (faces.Count == 0)
            return NoFace(upload);
        if (form.AllFaces != true)
            faces = [faces[0]];

        var threshold = services.Thresholds.Resolve(form.Threshold);
        var embeddings = services.Processor.Embed(faces);
        var answers = faces.Select((face, i) =>
        {
            var identification = services.Gallery.Identify(embeddings[i], topK, threshold);
            var candidates = identification.Candidates.Select(c => new IdentifyCandidate(c.SubjectId, c.FaceId, c.Similarity)).ToArray();
            return new IdentifiedFace(FaceLocation.From(face), identification.IsUnknown, identification.Identified?.SubjectId,
                candidates.FirstOrDefault()?.Similarity, candidates);
        }).ToArray();
        return TypedResults.Ok(new IdentifyResponse(services.Processor.Model.Id, threshold, answers));
    }

    public static async Task<Results<Ok<DetectResponse>, ProblemHttpResult>> DetectAsync(
        [AsParameters] FaceServices services, [AsParameters] DetectForm form, CancellationToken cancellationToken)
    {
        var upload = await services.Processor.ReadAsync(form.Image, "image", cancellationToken);
        var faces = services.Processor.FindFaces(upload, FaceInputMode.Detect);
        return TypedResults.Ok(new DetectResponse(upload.Image.Width, upload.Image.Height,
            faces.Select(f => new DetectedFaceResponse(FaceLocation.From(f), f.Landmarks?.Points ?? [])).ToArray()));
    }

    public static Ok<ModelResponse> GetModel([AsParameters] FaceServices services)
    {
        var model = services.Processor.Model;
        return TypedResults.Ok(new ModelResponse(model.Id, model.InputSize, model.Dimension, model.Alignment.ToString(), model.OperatingPoints,
            services.Thresholds.Default, services.Thresholds.TargetFar, services.Thresholds.Source));
    }

    private static EnrolledFaceResponse ToResponse(EnrolledFace outcome, string? fileName, FoundFace face) =>
        new(outcome.FaceId, fileName, FaceLocation.From(face), !outcome.IsDuplicate, outcome.DuplicateSimilarity);

    internal static ProblemHttpResult? ValidateSubjectId(string? subjectId, string field)
    {
        if (string.IsNullOrEmpty(subjectId))
            return FaceProblems.Validation.Result($"The field '{field}' is missing: send the subject's id (1-128 letters, digits, '.', '_', '-' or '@').");
        if (!SubjectIdPattern().IsMatch(subjectId))
            return FaceProblems.Validation.Result($"'{field}' must be 1-128 letters, digits, '.', '_', '-' or '@'; got \"{Truncate(subjectId)}\".");
        return null;
    }

    private static ProblemHttpResult? ValidateImageCount(IFormFileCollection? images, FaceServices services)
    {
        if (images is null || images.Count == 0)
            return FaceProblems.MissingImage.Result("The multipart field 'images' is missing: attach at least one image file as 'images'.");
        var max = services.UploadLimits.Value.MaxFiles;
        return images.Count > max ? FaceProblems.Validation.Result($"Got {images.Count} images; send at most {max} per request.") : null;
    }

    private static ProblemHttpResult? ParseMetadata(string? json, out Dictionary<string, string>? metadata)
    {
        metadata = null;
        if (string.IsNullOrWhiteSpace(json))
            return null;
        try
        {
            metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
            return metadata is null ? FaceProblems.Validation.Result("'metadata' must be a JSON object, e.g. {\"name\":\"Alice\"}.") : null;
        }
        catch (JsonException)
        {
            return FaceProblems.Validation.Result("'metadata' must be a JSON object whose values are strings, e.g. {\"name\":\"Alice\",\"team\":\"red\"}.");
        }
    }

    private static ProblemHttpResult? InvalidThreshold(double? threshold) =>
        threshold is { } value && !ThresholdPolicy.IsValid(value)
            ? FaceProblems.Validation.Result($"'threshold' is {value}; a cosine threshold lies from -1 to 1. Leave it out to use the model's default.")
            : null;

    private static ProblemHttpResult InvalidMode(string? mode) =>
        FaceProblems.Validation.Result($"'mode' is \"{Truncate(mode ?? "")}\"; send auto, detect or crop.");

    private static ProblemHttpResult NoFace(UploadedImage upload) => FaceProblems.NoFace.Result(NoFaceDetail(upload));

    private static string NoFaceDetail(UploadedImage upload) =>
        $"No face was found in '{upload.Name}' ({upload.FileName}, {upload.Image.Width}x{upload.Image.Height}). " +
        "Send a photo where the face is upright, unobstructed and at least about 40 px wide, or send an aligned face crop with mode=crop.";

    internal static ProblemHttpResult SubjectNotFound(string subjectId) =>
        FaceProblems.SubjectNotFound.Result($"There is no subject \"{subjectId}\". Enrol it first with POST /enroll, or list subjects with GET /subjects.");

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex(@"^[A-Za-z0-9._@-]{1,128}$")]
    private static partial Regex SubjectIdPattern();
}
