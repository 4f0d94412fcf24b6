namespace FaceService.Faces.Imaging;

/// <summary>
/// Turns an image stored as EXIF orientation 2–8 describes into its upright view (what ImageSharp's AutoOrient does
/// for the formats it decodes).
/// </summary>
internal static class ExifOrientation
{
    public static RgbImage ToUpright(RgbImage image, int orientation)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (orientation is < 2 or > 8)
            return image; // 1 is upright; anything else is not a valid orientation and is ignored

        int width = image.Width, height = image.Height;
        var swapsAxes = orientation >= 5;
        var outWidth = swapsAxes ? height : width;
        var outHeight = swapsAxes ? width : height;
        var source = image.Pixels;
        var upright = new byte[source.Length];
        for (var y = 0; y < outHeight; y++)
        {
            for (var x = 0; x < outWidth; x++)
            {
                // The stored pixel that appears at (x, y) of the upright view.
                var (sx, sy) = orientation switch
                {
                    2 => (width - 1 - x, y),              // mirrored
                    3 => (width - 1 - x, height - 1 - y), // rotated 180°
                    4 => (x, height - 1 - y),             // mirrored vertically
                    5 => (y, x),                          // transposed
                    6 => (y, height - 1 - x),             // needs 90° clockwise
                    7 => (width - 1 - y, height - 1 - x), // transversed
                    _ => (width - 1 - y, x),              // 8: needs 90° counter-clockwise
                };
                var from = (sy * width + sx) * 3;
                var to = (y * outWidth + x) * 3;
                upright[to] = source[from];
                upright[to + 1] = source[from + 1];
                upright[to + 2] = source[from + 2];
            }
        }
        return new RgbImage(outWidth, outHeight, upright);
    }
}
