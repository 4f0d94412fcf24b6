using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;

namespace FaceService.Faces.Landmarks;

/// <summary>
/// face-api's landmark-net preprocessing and post-processing (golden README §4), separate from the session so
/// both are tested on recorded values.
/// </summary>
public static class LandmarkInput
{
    public const int Size = 112;

    /// <summary>The clipped, floored crop of the box, padded to a centred square and resized to 112x112 (HWC floats).</summary>
    public static float[] Create(RgbImage image, PixelRect crop)
    {
        var input = new float[Size * Size * 3];
        Create(image, crop, input);
        return input;
    }

    public static void Create(RgbImage image, PixelRect crop, Span<float> destination) =>
        TfLegacyBilinear.Resize(image, PaddedCanvas.SquareCentred(crop), Size, Size, destination);

    /// <summary>
    /// Raw net output (x0,y0,x1,y1,… relative to the padded square) → image pixels, with face-api's two quirks:
    /// the padding is assumed split evenly although it was round(diff/2) after, and points are shifted by the
    /// unclipped, unfloored box origin rather than the crop origin.
    /// </summary>
    public static FaceLandmarks ToImagePoints(ReadOnlySpan<float> raw, PixelRect crop, FaceBox box)
    {
        if (raw.Length != 136)
            throw new ArgumentException($"Expected 136 values, got {raw.Length}.", nameof(raw));
        double cropWidth = crop.Width, cropHeight = crop.Height;
        var scale = Size / Math.Max(cropWidth, cropHeight);
        var scaledWidth = cropWidth * scale;
        var scaledHeight = cropHeight * scale;
        var padX = cropWidth < cropHeight ? (scaledHeight - scaledWidth) / 2 : 0;
        var padY = cropHeight < cropWidth ? (scaledWidth - scaledHeight) / 2 : 0;
        var points = new Point2[68];
        for (var i = 0; i < points.Length; i++)
        {
            var relativeX = (raw[2 * i] * Size - padX) / scaledWidth;
            var relativeY = (raw[2 * i + 1] * Size - padY) / scaledHeight;
            points[i] = new Point2(relativeX * cropWidth + box.X, relativeY * cropHeight + box.Y);
        }
        return new FaceLandmarks(points) { CropSize = (crop.Width, crop.Height) };
    }

    /// <summary>The crop face-api takes for a box, or null when the box has nothing inside the image.</summary>
    public static PixelRect? CropFor(FaceBox box, RgbImage image) => FaceApiCropRules.ClipAndFloor(box, image.Width, image.Height);
}
