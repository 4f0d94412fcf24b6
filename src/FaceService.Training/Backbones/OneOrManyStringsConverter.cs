using System.Text.Json;
using System.Text.Json.Serialization;

namespace FaceService.Training.Backbones;

/// <summary>Reads a config value given as one string or an array of strings; writes one string as a string.</summary>
public sealed class OneOrManyStringsConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => [reader.GetString()!],
            JsonTokenType.StartArray => JsonSerializer.Deserialize<string[]>(ref reader, options)
                ?? throw new JsonException("expected an array of paths"),
            _ => throw new JsonException($"expected a path or an array of paths, not {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        if (value.Count == 1)
            writer.WriteStringValue(value[0]);
        else
            JsonSerializer.Serialize(writer, value.ToArray(), options);
    }
}
