using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FaceService.Embeddings;

/// <summary>Reads and writes <see cref="EmbeddingModelInfo"/> as the JSON model card beside an ONNX file.</summary>
public static class EmbeddingModelCard
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>name.onnx → name.json.</summary>
    public static string PathFor(string modelPath) => Path.ChangeExtension(modelPath, ".json");

    public static EmbeddingModelInfo Load(string cardPath)
    {
        if (!File.Exists(cardPath))
            throw new FileNotFoundException($"Model card {Path.GetFullPath(cardPath)} is missing: every embedding model ships name.json beside name.onnx.", cardPath);
        var info = JsonSerializer.Deserialize<EmbeddingModelInfo>(File.ReadAllText(cardPath), Json)
            ?? throw new InvalidDataException($"{cardPath} is empty.");
        if (string.IsNullOrWhiteSpace(info.Id) || info.InputSize <= 0 || info.Dimension <= 0)
            throw new InvalidDataException($"{cardPath}: id, inputSize and dimension are required.");
        return info with { OperatingPoints = info.OperatingPoints ?? [] };
    }

    /// <summary>
    /// Writes the fields the service reads, plus <paramref name="details"/> for people (how the model was made), and
    /// keeps every other field an existing card holds, so that adding operating points never erases that provenance.
    /// </summary>
    public static void Save(EmbeddingModelInfo info, string cardPath, JsonObject? details = null)
    {
        var card = File.Exists(cardPath) && JsonNode.Parse(File.ReadAllText(cardPath)) is JsonObject existing ? existing : new JsonObject();
        var fields = JsonSerializer.SerializeToNode(info, Json)!.AsObject();
        foreach (var (key, value) in fields.Concat((details ?? []).Where(detail => !fields.ContainsKey(detail.Key))))
            card[key] = value?.DeepClone();
        File.WriteAllText(cardPath, card.ToJsonString(Json));
    }
}
