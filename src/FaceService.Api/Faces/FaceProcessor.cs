using FaceService.Api.Options;
using FaceService.Api.Problems;
using FaceService.Embeddings;
using FaceService.Faces;
using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;
using FaceService.Gallery;
using Microsoft.Extensions.Options;

namespace FaceService.Api.Faces;

/// <summary>An upload decoded to pixels; <see cref="Name"/> says which part of the request it was, for messages.</summary>
public sealed record UploadedImage(string Name, string? FileName, RgbImage Image);

/// <summary>
/// A face ready to embed: where it is in the upload and the aligned crop. A crop-mode face spans the whole image and has
/// no landmarks or detector score.
/// </summary>
public sealed record FoundFace(FaceBox Box, FaceLandmarks? Landmarks, double? DetectorScore, double? InterEyeDistance,
    AlignedFace Aligned, bool IsCrop)
{
    public double Area => Box.Width * Box.Height;
}

/// <summary>
/// Upload → faces → embeddings, with the configured pipeline and embedder. Every problem with the upload itself
/// becomes a <see cref="FaceRequestException"/> naming the part of the request to fix.
/// </summary>
public sealed class FaceProcessor(
    IFaceAnalyzer analyzer,
    IFaceEmbedder embedder,
    ImageDecodeOptions decodeOptions,
    IOptions<CropModeOptions> cropMode,
    FaceServiceMetrics metrics)
{
    public EmbeddingModelInfo Model => embedder.Model;

    public async Task<UploadedImage> ReadAsync(IFormFile? file, string name, CancellationToken cancellationToken)
    {
        if (file is null)
            throw new FaceRequestException(FaceProblems.MissingImage,
                $"The multipart field '{name}' is missing: attach an image file (JPEG, PNG, BMP, GIF, TIFF, WebP, TGA or PBM) as '{name}'.");
        var label = $"'{name}' ({file.FileName})";
        using var buffer = new MemoryStream((int)Math.Min(file.Length, int.MaxValue));
        await file.CopyToAsync(buffer, cancellationToken);
        try
        {
            return new UploadedImage(name, file.FileName, ImageDecoder.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), decodeOptions));
        }
        catch (ImageDecodeException e)
        {
            throw new FaceRequestException(ProblemFor(e.Error), $"{label}: {e.Message} {FixFor(e.Error)}", e);
        }
    }

    /// <summary>The faces of an image, largest first; empty when a photo has none.</summary>
    public IReadOnlyList<FoundFace> FindFaces(UploadedImage upload, FaceInputMode mode)
    {
        var image = upload.Image;
        var isCrop = mode == FaceInputMode.Crop
                     || (mode == FaceInputMode.Auto && image.Width <= cropMode.Value.AutoMaxSide && image.Height <= cropMode.Value.AutoMaxSide);
        if (isCrop)
            return [FromCrop(image)];

        return analyzer.Analyze(image, Model.Alignment, Model.InputSize)
            .Select(f => new FoundFace(f.Detection.Box, f.Landmarks, f.Detection.Score, f.Quality.InterEyeDistance, f.Aligned, false))
            .OrderByDescending(f => f.Area)
            .ToArray();
    }

    public IReadOnlyList<ModelEmbedding> Embed(IReadOnlyList<FoundFace> faces)
    {
        if (faces.Count == 0)
            return [];
        var vectors = embedder.Embed(faces.Select(f => f.Aligned).ToArray());
        metrics.FacesEmbedded(Model.Id, faces.Count);
        return vectors.Select(v => ModelEmbedding.Normalize(Model.Id, v)).ToArray();
    }

    /// <summary>
    /// A crop is padded to a centred square and resized to the model's input with half-pixel bilinear interpolation:
    /// the upsampler of the low-resolution protocol the models are evaluated (and the student trained) with, so an
    /// 8-64 px crop reaches the net as the evaluation's LR faces do. The aligned face keeps the padded square's side as
    /// its source resolution, so a resolution-routed embedder sees a 12 px crop as the 12 px face it is.
    /// </summary>
    private FoundFace FromCrop(RgbImage image)
    {
        var size = Model.InputSize;
        var canvas = PaddedCanvas.SquareCentred(new PixelRect(0, 0, image.Width, image.Height));
        var square = TfLegacyBilinear.Resize(image, canvas, canvas.Width, canvas.Height); // same size: the padding alone
        var pixels = BilinearResize.Resize(square, canvas.Width, canvas.Height, 3, size, size);
        return new FoundFace(new FaceBox(0, 0, image.Width, image.Height), null, null, null, new AlignedFace(size, size, pixels, canvas.Width), true);
    }

    private static ProblemKind ProblemFor(ImageDecodeError error) => error switch
    {
        ImageDecodeError.Empty => FaceProblems.EmptyImage,
        ImageDecodeError.UnsupportedFormat => FaceProblems.UnsupportedImage,
        ImageDecodeError.TooLarge => FaceProblems.TooManyPixels,
        _ => FaceProblems.CorruptImage,
    };

    private static string FixFor(ImageDecodeError error) => error switch
    {
        ImageDecodeError.Empty => "Attach the image's content, not an empty file.",
        ImageDecodeError.UnsupportedFormat => "Send a JPEG, PNG, BMP, GIF, TIFF, WebP, TGA or PBM image.",
        ImageDecodeError.TooLarge => "Downscale the image before sending it.",
        _ => "Send the complete, undamaged file.",
    };
}
