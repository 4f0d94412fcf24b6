using FaceService.Faces.Imaging;
using FaceService.Faces.Landmarks;

namespace FaceService.Faces.Alignment;

/// <summary>face-api's box geometry, kept exactly for parity with the reference (golden README §4.1 and §5).</summary>
public static class FaceApiCropRules
{
    /// <summary>
    /// Clips a box to the image and floors x, y, width and height each separately, as face-api's
    /// extractFaceTensors does. Null when nothing of the box is left inside the image.
    /// </summary>
    public static PixelRect? ClipAndFloor(FaceBox box, int imageWidth, int imageHeight)
    {
        var x0 = Math.Max(box.X, 0);
        var y0 = Math.Max(box.Y, 0);
        var width = Math.Min(box.X + box.Width - x0, imageWidth - x0);
        var height = Math.Min(box.Y + box.Height - y0, imageHeight - y0);
        var rect = new PixelRect((int)Math.Floor(x0), (int)Math.Floor(y0), (int)Math.Floor(width), (int)Math.Floor(height));
        // floor(x) + floor(width) <= x + width <= image size, so the rect never leaves the image.
        return rect.Width >= 1 && rect.Height >= 1 ? rect : null;
    }

    /// <summary>
    /// face-api's FaceLandmarks68.alignDlib box: from the eye centres and the mouth centre, size = floor(d/0.45)
    /// where d is the mean eye–mouth distance, placed around the centroid (0.5 and 0.43 of size above/left).
    /// </summary>
    public static PixelRect AlignDlibRect(FaceLandmarks landmarks)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        var points = FivePointLandmarks.RequireSixtyEight(landmarks);
        var leftEye = FivePointLandmarks.Mean(points, 36, 42);
        var rightEye = FivePointLandmarks.Mean(points, 42, 48);
        var mouth = FivePointLandmarks.Mean(points, 48, 68);
        var distance = (Point2.Distance(mouth, leftEye) + Point2.Distance(mouth, rightEye)) / 2;
        var size = Math.Floor(distance / 0.45);
        var centreX = (leftEye.X + rightEye.X + mouth.X) / 3;
        var centreY = (leftEye.Y + rightEye.Y + mouth.Y) / 3;
        var x = Math.Floor(Math.Max(0, centreX - 0.5 * size));
        var y = Math.Floor(Math.Max(0, centreY - 0.43 * size));
        var (cropWidth, cropHeight) = landmarks.CropSize ?? ((int)size, (int)size);
        var width = Math.Min(size, cropWidth + x);
        var height = Math.Min(size, cropHeight + y);
        return new PixelRect((int)x, (int)y, (int)width, (int)height);
    }
}
