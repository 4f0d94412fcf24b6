using FaceService.Faces.Alignment;

namespace FaceService.Embeddings;

/// <summary>Cosine-similarity decision threshold for a target false-accept rate, measured on a named protocol.</summary>
public sealed record OperatingPoint(double TargetFar, double CosineThreshold, string MeasuredOn);

/// <summary>
/// What an embedding model is: its stable id (stored next to every embedding), its input, and its own thresholds.
/// Read from the JSON model card that sits beside the ONNX file (<c>name.onnx</c> → <c>name.json</c>).
/// </summary>
public sealed record EmbeddingModelInfo(
    string Id,
    int InputSize,
    int Dimension,
    AlignmentKind Alignment,
    IReadOnlyList<OperatingPoint> OperatingPoints);
