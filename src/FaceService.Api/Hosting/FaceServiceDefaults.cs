using System.Text.Json.Serialization;
using FaceService.Api.Auth;
using FaceService.Api.Faces;
using FaceService.Api.Health;
using FaceService.Api.Options;
using FaceService.Api.Problems;
using FaceService.Embeddings;
using FaceService.Faces;
using FaceService.Gallery;
using FaceService.Gallery.Sqlite;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Prometheus;
using Serilog;
using Serilog.Formatting.Compact;

namespace FaceService.Api.Hosting;

/// <summary>Everything the service registers and the middleware it runs, in one place.</summary>
public static class FaceServiceDefaults
{
    public static WebApplicationBuilder AddFaceServiceDefaults(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;

        services.AddSerilog((_, logger) => logger
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .WriteTo.Console(new CompactJsonFormatter()));

        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.Section))
            .Validate(o => o.AllowAnonymous || o.ApiKeys.Any(k => !string.IsNullOrWhiteSpace(k)),
                "No API keys are configured. Set Auth:ApiKeys (e.g. environment variable Auth__ApiKeys__0=<a long random key>); " +
                "only for local development, Auth:AllowAnonymous=true runs the service without keys.")
            .ValidateOnStart();
        services.AddOptions<GalleryOptions>().Bind(configuration.GetSection(GalleryOptions.Section))
            .Validate(o => o.DefaultTopK >= 1 && o.DefaultTopK <= o.MaxTopK, "Gallery:DefaultTopK must be from 1 to Gallery:MaxTopK.")
            .Validate(o => o.DefaultPageSize >= 1 && o.DefaultPageSize <= o.MaxPageSize, "Gallery:DefaultPageSize must be from 1 to Gallery:MaxPageSize.")
            .Validate(o => o.DuplicateSimilarity is > 0 and <= 1, "Gallery:DuplicateSimilarity must be in (0, 1].")
            .Validate(o => Enum.IsDefined(o.Index), "Gallery:Index must be Exact, QuantizedScan, Usearch or Auto.")
            .Validate(o => o.AutoIndexMinFaces >= 1, "Gallery:AutoIndexMinFaces must be at least 1.")
            .Validate(o => o.Usearch.Connectivity >= 0 && o.Usearch.ExpansionAdd >= 0 && o.Usearch.SearchCandidates >= 1,
                "Gallery:Usearch:Connectivity and ExpansionAdd must be >= 0 (0 = USearch's default) and SearchCandidates >= 1.")
            .Validate(o => o.QuantizedScan.RetainedVariance is > 0 and <= 1 && o.QuantizedScan.Candidates >= 1,
                "Gallery:QuantizedScan:RetainedVariance must be in (0, 1] and Candidates >= 1.")
            .ValidateOnStart();
        services.AddOptions<ThresholdOptions>().Bind(configuration.GetSection(ThresholdOptions.Section))
            .Validate(o => o.Cosine is null || ThresholdPolicy.IsValid(o.Cosine.Value), "Thresholds:Cosine must be from -1 to 1.")
            .ValidateOnStart();
        services.AddOptions<CropModeOptions>().Bind(configuration.GetSection(CropModeOptions.Section));
        services.AddOptions<UploadLimits>().Bind(configuration.GetSection(UploadLimits.Section));

        // Request size: a declared length is checked by UseRequestSizeLimit; Kestrel and the form reader cap the rest.
        var limits = configuration.GetSection(UploadLimits.Section).Get<UploadLimits>() ?? new UploadLimits();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBytes);
        services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = limits.MaxRequestBytes);
        // Binding failures (e.g. topK=abc) become exceptions, which the exception handler turns into ProblemDetails.
        services.Configure<RouteHandlerOptions>(routing => routing.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        services.AddFaceAnalysis(configuration.GetSection("Faces").Get<FaceAnalysisOptions>() ?? new FaceAnalysisOptions());
        services.AddFaceEmbedder(configuration.GetSection("Embedder").Get<EmbedderOptions>() ?? new EmbedderOptions());
        services.AddSingleton<IGalleryStore>(sp => new SqliteGalleryStore(sp.GetRequiredService<IOptions<GalleryOptions>>().Value.DatabasePath));
        services.AddSingleton(sp =>
        {
            var gallery = sp.GetRequiredService<IOptions<GalleryOptions>>().Value;
            return GalleryIndexes.Create(gallery.Index, gallery.AutoIndexMinFaces, gallery.UsearchWithPersistPath(), gallery.QuantizedScan);
        });
        services.AddSingleton<FaceGallery>();
        services.AddSingleton<ThresholdPolicy>();
        services.AddSingleton<FaceProcessor>();
        services.AddSingleton<FaceServiceMetrics>();
        services.AddSingleton<FaceServiceStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<FaceServiceStartup>());

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddFaceServiceProblemDetails();

        services.AddHealthChecks()
            .AddCheck<ModelLoadedCheck>("model", tags: ["ready"])
            .AddCheck<GalleryStoreCheck>("gallery", tags: ["ready"]);

        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "FaceService",
                Version = "v1",
                Description = "Face enrolment, verification and open-set identification that stays accurate on low-resolution faces. " +
                              "Errors are RFC 9457 problem details; their type URIs are listed in docs/API.md.",
            });
            swagger.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "FaceService.Api.xml"));
            swagger.OperationFilter<CamelCaseFormFieldsFilter>();
            swagger.AddSecurityDefinition(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyOptions.HeaderName,
                Description = "One of the keys in Auth:ApiKeys.",
            });
            swagger.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [],
            });
        });
        return builder;
    }

    /// <summary>The middleware, in order, and the unauthenticated routes: health, metrics and Swagger UI.</summary>
    public static WebApplication UseFaceServiceDefaults(this WebApplication app)
    {
        // One log line per request; the API key's client name says who asked (keys are never logged).
        app.UseSerilogRequestLogging(logging => logging.EnrichDiagnosticContext = (diagnostics, context) =>
            diagnostics.Set("Client", context.User.Identity?.Name ?? "unauthenticated"));
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestSizeLimit();
        app.UseHttpMetrics();
        app.UseAuthentication();
        app.UseAuthorization();

        app.UseSwagger();
        app.UseSwaggerUI(ui =>
        {
            ui.DocumentTitle = "FaceService API";
            ui.EnableDeepLinking();
        });
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapMetrics("/metrics");
        return app;
    }
}
