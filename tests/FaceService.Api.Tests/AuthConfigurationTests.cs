using System.Net;
using Microsoft.Extensions.Options;
using Xunit;
using static FaceService.Api.Tests.Multipart;

namespace FaceService.Api.Tests;

public sealed class AuthConfigurationTests : IDisposable
{
    private readonly string _databasePath = FaceServiceFactory.NewDatabasePath();

    public void Dispose() => FaceServiceFactory.DeleteDatabase(_databasePath);

    [Fact]
    public async Task The_service_refuses_to_start_without_api_keys()
    {
        await using var factory = new FaceServiceFactory(_databasePath, new Dictionary<string, string?> { ["Auth:ApiKeys:0"] = null });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Auth:ApiKeys", error.Message);
        Assert.Contains("Auth:AllowAnonymous", error.Message);
    }

    [Fact]
    public async Task Anonymous_mode_accepts_requests_without_a_key_but_still_refuses_a_wrong_one()
    {
        await using var factory = new FaceServiceFactory(_databasePath, new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0"] = null,
            ["Auth:AllowAnonymous"] = "true",
        });
        using var anonymous = factory.CreateClient();
        using var wrong = factory.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", "not-a-key");

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/subjects")).StatusCode);
        await AssertProblemAsync(await wrong.GetAsync("/subjects"), HttpStatusCode.Unauthorized, "invalid-api-key");
    }
}
