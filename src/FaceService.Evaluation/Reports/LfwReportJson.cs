using System.Text.Json;
using System.Text.Json.Serialization;

namespace FaceService.Evaluation.Reports;

/// <summary>The report as JSON: camelCase, protocols as "lr-lr"/"hr-lr", other enums by name (as the model card), every number kept.</summary>
public static class LfwReportJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter<PairProtocol>(JsonNamingPolicy.KebabCaseLower), new JsonStringEnumConverter() },
    };

    public static void Write(LfwReport report, string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(report, Options));

    public static LfwReport Read(string path) =>
        JsonSerializer.Deserialize<LfwReport>(File.ReadAllText(path), Options)
        ?? throw new InvalidDataException($"{path} holds no LFW report.");
}
