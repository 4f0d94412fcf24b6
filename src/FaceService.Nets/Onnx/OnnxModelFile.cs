using Google.Protobuf;
using Onnx;

namespace FaceService.Nets.Onnx;

/// <summary>The one way the project reads and writes ONNX model files (protobuf <see cref="ModelProto"/>).</summary>
public static class OnnxModelFile
{
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model.</exception>
    public static ModelProto Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"ONNX model {Path.GetFullPath(path)} is missing.", path);
        try
        {
            using var stream = File.OpenRead(path);
            var model = ModelProto.Parser.ParseFrom(stream);
            if (model.Graph is null || model.Graph.Node.Count == 0)
                throw new InvalidDataException($"{path} holds no ONNX graph.");
            return model;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path} is not an ONNX model: {e.Message}", e);
        }
    }

    /// <summary>Writes through a temporary file, so that a reader never sees half a model.</summary>
    public static void Write(ModelProto model, string path)
    {
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
            model.WriteTo(stream);
        File.Move(temporary, path, overwrite: true);
    }
}
