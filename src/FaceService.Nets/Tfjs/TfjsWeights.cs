using System.Buffers.Binary;
using System.Text.Json;

namespace FaceService.Nets.Tfjs;

/// <summary>How a tensor is stored in the <c>.bin</c>: plain float32 or int32, or quantised to uint8/uint16 as <c>q * scale + min</c>.</summary>
public sealed record TfjsStorage(string DType, double Min = 0, double Scale = 1)
{
    public static TfjsStorage Float32 { get; } = new("float32");

    public static TfjsStorage Int32 { get; } = new("int32");

    public bool IsQuantized => DType is "uint8" or "uint16";

    public int BytesPerValue => DType switch
    {
        "float32" or "int32" => 4,
        "uint16" => 2,
        "uint8" => 1,
        _ => throw new NotSupportedException($"TF.js storage dtype '{DType}' is not supported"),
    };

    public override string ToString() => IsQuantized ? $"{DType}(min={Min},scale={Scale})" : $"{DType}le";
}

/// <summary>One dequantised tensor of a TF.js weight file, in TF's own layout (conv filters HWIO, dense [in, out]).</summary>
public sealed record TfjsTensor(string Name, int[] Shape, TfjsStorage Storage, long ByteOffset, long ByteLength, float[] Values);

/// <summary>
/// Reads a TF.js <c>*-weights_manifest.json</c> and its <c>.bin</c> shards: a list of groups, each naming its shard
/// files and its tensors in storage order (back to back, little-endian, no padding).
/// </summary>
public sealed class TfjsWeights
{
    private readonly Dictionary<string, TfjsTensor> _byName;

    private TfjsWeights(IReadOnlyList<TfjsTensor> tensors)
    {
        Tensors = tensors;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Every tensor, in manifest order.</summary>
    public IReadOnlyList<TfjsTensor> Tensors { get; }

    public TfjsTensor this[string name] =>
        _byName.TryGetValue(name, out var tensor)
            ? tensor
            : throw new KeyNotFoundException($"the weight file has no tensor '{name}'");

    public bool Contains(string name) => _byName.ContainsKey(name);

    public static TfjsWeights Load(string manifestPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        var tensors = new List<TfjsTensor>();
        foreach (var group in manifest.RootElement.EnumerateArray())
        {
            // A group's shards are one byte stream split into files; its tensors index into the concatenation.
            var bytes = group.GetProperty("paths").EnumerateArray()
                .SelectMany(p => File.ReadAllBytes(Path.Combine(directory, p.GetString()!)))
                .ToArray();
            long offset = 0;
            foreach (var entry in group.GetProperty("weights").EnumerateArray())
            {
                var tensor = ReadTensor(entry, bytes, offset);
                tensors.Add(tensor);
                offset += tensor.ByteLength;
            }
            if (offset != bytes.Length)
                throw new InvalidDataException(
                    $"{manifestPath}: the manifest describes {offset} bytes but its shards hold {bytes.Length}");
        }
        return new TfjsWeights(tensors);
    }

    private static TfjsTensor ReadTensor(JsonElement entry, byte[] bytes, long offset)
    {
        var name = entry.GetProperty("name").GetString()!;
        var shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        var dtype = entry.GetProperty("dtype").GetString();
        // int32 tensors are the converted TF graph's shape constants (the SSD's manifest has a few); read as floats.
        var isInt32 = dtype == "int32";
        if (dtype != "float32" && !isInt32)
            throw new NotSupportedException($"tensor '{name}' has dtype '{dtype}'; only float32 and int32 tensors are supported");
        var storage = entry.TryGetProperty("quantization", out var q)
            ? new TfjsStorage(q.GetProperty("dtype").GetString()!, q.GetProperty("min").GetDouble(), q.GetProperty("scale").GetDouble())
            : isInt32 ? TfjsStorage.Int32 : TfjsStorage.Float32;

        var count = shape.Aggregate(1L, (a, d) => a * d);
        var length = count * storage.BytesPerValue;
        if (offset + length > bytes.Length)
            throw new InvalidDataException($"tensor '{name}' ends at byte {offset + length}, past the end of its shards ({bytes.Length})");

        var span = bytes.AsSpan((int)offset, (int)length);
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            var value = storage.DType switch
            {
                "int32" => BinaryPrimitives.ReadInt32LittleEndian(span[(4 * i)..]),
                "float32" => BinaryPrimitives.ReadSingleLittleEndian(span[(4 * i)..]),
                "uint8" => span[i] * storage.Scale + storage.Min,
                "uint16" => BinaryPrimitives.ReadUInt16LittleEndian(span[(2 * i)..]) * storage.Scale + storage.Min,
                _ => throw new NotSupportedException($"tensor '{name}': storage '{storage.DType}' is not supported"),
            };
            // Dequantise in double, then round once to float32 (or, for int32, to an integer, JS Math.round), exactly as tfjs does.
            values[i] = isInt32 ? (float)Math.Floor(value + 0.5) : (float)value;
        }
        return new TfjsTensor(name, shape, storage, offset, length, values);
    }
}
