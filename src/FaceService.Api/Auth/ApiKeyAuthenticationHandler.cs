using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using FaceService.Api.Options;
using FaceService.Api.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FaceService.Api.Auth;

/// <summary>
/// Authenticates the <c>X-Api-Key</c> header against the configured keys (constant-time comparison). Without a
/// header the request is anonymous, which only <see cref="ApiKeyOptions.AllowAnonymous"/> accepts; a wrong key is
/// always refused. A refusal is a 401 ProblemDetails saying which of the two it was.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<ApiKeyOptions> apiKeys,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[ApiKeyOptions.HeaderName].ToString();
        if (presented.Length == 0)
            return Task.FromResult(apiKeys.Value.AllowAnonymous
                ? Success("anonymous")
                : AuthenticateResult.NoResult());

        var index = apiKeys.Value.ApiKeys.FindIndex(key => !string.IsNullOrWhiteSpace(key) && FixedTimeEquals(key, presented));
        return Task.FromResult(index >= 0 ? Success($"key-{index}") : AuthenticateResult.Fail("The API key is not valid."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var missing = Request.Headers[ApiKeyOptions.HeaderName].ToString().Length == 0;
        var kind = missing ? FaceProblems.MissingApiKey : FaceProblems.InvalidApiKey;
        Response.StatusCode = kind.Status;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{ApiKeyOptions.HeaderName}\"";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = kind.Status, Type = kind.Type, Title = kind.Title,
                Detail = missing
                    ? $"Send one of the service's API keys in the {ApiKeyOptions.HeaderName} header."
                    : $"The {ApiKeyOptions.HeaderName} header does not hold a key this service accepts. Check the key with the service's operator.",
            },
        });
    }

    private AuthenticateResult Success(string clientName)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, clientName)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>Hashing first gives equal lengths, so the comparison time says nothing about the key.</summary>
    private static bool FixedTimeEquals(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
