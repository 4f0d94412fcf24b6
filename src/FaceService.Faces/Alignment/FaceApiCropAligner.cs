using FaceService.Faces.Imaging;

namespace FaceService.Faces.Alignment;

/// <summary>
/// face-api's descriptor input (golden README §6): the alignDlib box, clipped and floored, padded to a centred
/// square, legacy-bilinear resized, float. Gives the reference descriptors; no rotation is corrected.
/// </summary>
public sealed class FaceApiCropAligner : IFaceAligner
{
    public AlignmentKind Kind => AlignmentKind.FaceApiCrop;

    public AlignedFace? Align(RgbImage image, FaceLandmarks landmarks, int size)
    {
        ArgumentNullException.ThrowIfNull(image);
        var rect = FaceApiCropRules.AlignDlibRect(landmarks);
        var crop = FaceApiCropRules.ClipAndFloor(new FaceBox(rect.X, rect.Y, rect.Width, rect.Height), image.Width, image.Height);
        return crop is null ? null : Resize(image, crop.Value, size);
    }

    /// <summary>
    /// An image that is already a face crop (the service's "cropped" mode), prepared as face-api prepares a face
    /// tensor: padded to a centred square and legacy-bilinear resized.
    /// </summary>
    public static AlignedFace FromWholeImage(RgbImage image, int size)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Resize(image, new PixelRect(0, 0, image.Width, image.Height), size);
    }

    private static AlignedFace Resize(RgbImage image, PixelRect crop, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var square = PaddedCanvas.SquareCentred(crop);
        return new AlignedFace(size, size, TfLegacyBilinear.Resize(image, square, size, size), square.Width);
    }
}
