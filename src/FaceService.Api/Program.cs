using FaceService.Api.Apis;
using FaceService.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddFaceServiceDefaults();

var app = builder.Build();
app.UseFaceServiceDefaults();

var api = app.MapGroup("").RequireAuthorization();
api.MapFacesApi();
api.MapSubjectsApi();

app.Run();

/// <summary>Entry point, public for WebApplicationFactory.</summary>
public partial class Program;
