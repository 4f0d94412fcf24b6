using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace FaceService.Nets.Onnx;

/// <summary>Initializers as the project's writer stores them (raw little-endian data), made and read in one place.</summary>
internal static class OnnxTensors
{
    public static TensorProto Raw(string name, TensorProto.Types.DataType type, IEnumerable<long> dims, ReadOnlySpan<byte> littleEndian)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(littleEndian) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    /// <summary>A float initializer's values, stored raw or as repeated floats.</summary>
    public static float[] FloatValues(TensorProto tensor) =>
        tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : tensor.FloatData.ToArray();

    /// <summary>Replaces a float initializer's values, stored raw.</summary>
    public static void SetFloatValues(TensorProto tensor, float[] values)
    {
        tensor.FloatData.Clear();
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
    }
}
