namespace FaceService.Embeddings;

public sealed class EmbedderOptions
{
    /// <summary>The ONNX file; its model card is the .json beside it (name.onnx → name.json).</summary>
    public string ModelPath { get; set; } = "models/student-lowres-112-v3-int8.onnx";

    /// <summary>Faces per inference; larger requests are split into batches of this size.</summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// Embed each face and its mirror image and average them (<see cref="MirrorAveragingEmbedder"/>): twice the
    /// embedding work. The model card's thresholds were measured without it.
    /// </summary>
    public bool MirrorAveraging { get; set; }

    /// <summary>ONNX Runtime intra-op threads; 0 = runtime default.</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>The embedder these options describe over an opened model: the model itself, or it mirror-averaged.</summary>
    public IFaceEmbedder Over(IFaceEmbedder model) => MirrorAveraging ? new MirrorAveragingEmbedder(model) : model;
}
