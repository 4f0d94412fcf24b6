namespace FaceService.Api.Options;

/// <summary>
/// API keys accepted in the <c>X-Api-Key</c> header. The service refuses to start with no keys unless
/// <see cref="AllowAnonymous"/> is set, which only the Development settings do.
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Auth";

    public const string HeaderName = "X-Api-Key";

    public List<string> ApiKeys { get; set; } = [];

    public bool AllowAnonymous { get; set; }
}
