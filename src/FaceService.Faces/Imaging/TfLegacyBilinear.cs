namespace FaceService.Faces.Imaging;

/// <summary>
/// TensorFlow's "legacy" bilinear resize (align_corners=false, half_pixel_centers=false), as tfjs runs it for
/// face-api: output index i samples source coordinate i·in/out, i0 = floor, i1 = min(i0+1, in-1). Computed in
/// float32 like the tfjs kernel and never rounded, since face-api feeds the float result to its nets.
/// </summary>
/// <remarks>
/// The source is a virtual zero canvas with a crop of the image pasted at an offset, which is how face-api's
/// pad-to-square followed by resize behaves, without allocating the padded canvas.
/// </remarks>
public static class TfLegacyBilinear
{
    /// <summary>Resizes <paramref name="canvas"/> to <paramref name="outWidth"/> x <paramref name="outHeight"/>, HWC RGB floats 0..255.</summary>
    public static float[] Resize(RgbImage image, PaddedCanvas canvas, int outWidth, int outHeight)
    {
        var output = new float[outWidth * outHeight * 3];
        Resize(image, canvas, outWidth, outHeight, output);
        return output;
    }

    public static void Resize(RgbImage image, PaddedCanvas canvas, int outWidth, int outHeight, Span<float> output)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outHeight);
        if (output.Length != outWidth * outHeight * 3)
            throw new ArgumentException($"Output must hold {outWidth * outHeight * 3} floats.", nameof(output));
        canvas.Validate(image);

        var xs = SourceTaps(canvas.Width, outWidth);
        var ys = SourceTaps(canvas.Height, outHeight);
        var src = image.Pixels;
        for (var oy = 0; oy < outHeight; oy++)
        {
            var (y0, y1, fy) = ys[oy];
            for (var ox = 0; ox < outWidth; ox++)
            {
                var (x0, x1, fx) = xs[ox];
                var o = (oy * outWidth + ox) * 3;
                for (var c = 0; c < 3; c++)
                {
                    float topLeft = canvas.Sample(src, image.Width, x0, y0, c);
                    float topRight = canvas.Sample(src, image.Width, x1, y0, c);
                    float bottomLeft = canvas.Sample(src, image.Width, x0, y1, c);
                    float bottomRight = canvas.Sample(src, image.Width, x1, y1, c);
                    var top = topLeft + (topRight - topLeft) * fx;
                    var bottom = bottomLeft + (bottomRight - bottomLeft) * fx;
                    output[o + c] = top + (bottom - top) * fy;
                }
            }
        }
    }

    private static (int I0, int I1, float Fraction)[] SourceTaps(int inSize, int outSize)
    {
        var scale = inSize / (float)outSize;
        var taps = new (int, int, float)[outSize];
        for (var i = 0; i < outSize; i++)
        {
            var source = i * scale;
            var i0 = (int)MathF.Floor(source);
            taps[i] = (i0, Math.Min(i0 + 1, inSize - 1), source - i0);
        }
        return taps;
    }
}

/// <summary>
/// A zero canvas of <see cref="Width"/> x <see cref="Height"/> with the image pixels of <see cref="Crop"/> placed at
/// (<see cref="OffsetX"/>, <see cref="OffsetY"/>).
/// </summary>
public readonly record struct PaddedCanvas(PixelRect Crop, int OffsetX, int OffsetY, int Width, int Height)
{
    /// <summary>face-api's detector input: the whole image at the top-left of a square, zeros after it.</summary>
    public static PaddedCanvas SquareBottomRight(RgbImage image)
    {
        var side = Math.Max(image.Width, image.Height);
        return new PaddedCanvas(new PixelRect(0, 0, image.Width, image.Height), 0, 0, side, side);
    }

    /// <summary>
    /// face-api's padToSquare(isCenterImage: true) of a crop: diff = |w-h|, round(diff/2) zero rows/columns after the
    /// crop and the rest before it.
    /// </summary>
    public static PaddedCanvas SquareCentred(PixelRect crop)
    {
        var side = Math.Max(crop.Width, crop.Height);
        var diff = Math.Abs(crop.Width - crop.Height);
        var before = diff - JsMath.Round(diff / 2.0);
        return crop.Width < crop.Height
            ? new PaddedCanvas(crop, before, 0, side, side)
            : new PaddedCanvas(crop, 0, before, side, side);
    }

    internal void Validate(RgbImage image)
    {
        if (Crop.Width <= 0 || Crop.Height <= 0 || Crop.X < 0 || Crop.Y < 0
            || Crop.X + Crop.Width > image.Width || Crop.Y + Crop.Height > image.Height)
            throw new ArgumentException($"Crop {Crop} is not inside the {image.Width}x{image.Height} image.");
        if (OffsetX < 0 || OffsetY < 0 || OffsetX + Crop.Width > Width || OffsetY + Crop.Height > Height)
            throw new ArgumentException($"Crop {Crop} at ({OffsetX},{OffsetY}) does not fit the {Width}x{Height} canvas.");
    }

    internal byte Sample(byte[] pixels, int imageWidth, int x, int y, int channel)
    {
        var cx = x - OffsetX;
        var cy = y - OffsetY;
        if ((uint)cx >= (uint)Crop.Width || (uint)cy >= (uint)Crop.Height)
            return 0;
        return pixels[((Crop.Y + cy) * imageWidth + Crop.X + cx) * 3 + channel];
    }
}
