namespace FaceService.Api.Options;

public sealed class UploadLimits
{
    public const string Section = "Uploads";

    /// <summary>The largest request body, in bytes; a larger one is refused with 413 before it is read.</summary>
    public long MaxRequestBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>The most image files in one request (bulk enrolment included).</summary>
    public int MaxFiles { get; set; } = 100;
}
