// Port of jpeg-js 0.4.4 lib/decoder.js (BSD-3-Clause, Copyright (c) 2014 Eugene Ware), itself from pdf.js
// (Copyright 2011 notmasteryet, Apache License 2.0). See JpegJsCompatibleDecoder.cs.

namespace FaceService.Faces.Imaging.Jpeg;

/// <summary>
/// jpeg-js's getData + copyToImageData(formatAsRGBA: false): component planes → interleaved RGB. Subsampled components
/// are upsampled by nearest neighbour (sample floor(x·h/maxH)), the colour transform is done in float64 and every
/// result is clamped to 0..255 and truncated, as storing into a Uint8Array does.
/// </summary>
internal static class JpegColorConverter
{
    public static byte[] ToRgb(JpegFrame frame, byte[][] planes, JpegAdobeMarker? adobe)
    {
        var width = frame.Width;
        var height = frame.Height;
        var components = frame.Components;
        var rgb = GC.AllocateUninitializedArray<byte>(checked(width * height * 3)); // every pixel is written
        var columns = components.Select(c => SourceIndices(width, c.H, frame.MaxH)).ToArray();
        var rows = components.Select(c => SourceIndices(height, c.V, frame.MaxV)).ToArray();
        var strides = components.Select(c => c.BlocksPerLine * 8).ToArray();

        switch (components.Length)
        {
            case 1:
                for (var y = 0; y < height; y++)
                {
                    var line = planes[0].AsSpan(rows[0][y] * strides[0]);
                    var output = rgb.AsSpan(y * width * 3, width * 3);
                    var xs = columns[0];
                    for (var x = 0; x < width; x++)
                        output[3 * x] = output[3 * x + 1] = output[3 * x + 2] = line[xs[x]];
                }
                break;

            case 3:
                // jpeg-js treats every three-component JPEG as YCbCr, whatever its Adobe transform says.
                YCbCrToRgb(planes, columns, rows, strides, width, height, rgb);
                break;

            default: // 4: the frame header admits 1, 3 or 4 components
                if (adobe is null)
                    throw JpegErrors.Unsupported("four components without an Adobe marker (CMYK or YCCK unknown)");
                CmykToRgb(planes, columns, rows, strides, width, height, adobe.Value.TransformCode != 0, rgb);
                break;
        }
        return rgb;
    }

    private static unsafe void YCbCrToRgb(byte[][] planes, int[][] columns, int[][] rows, int[] strides, int width, int height, byte[] rgb)
    {
        // R and B depend on two samples each: tabulated over all pairs, computed as jpeg-js computes them. G keeps its
        // float64 expression (Y - a·(Cb-128)) - b·(Cr-128) with the products tabulated: regrouping the two products
        // would change the rounding.
        var redByLumaCr = new byte[256 * 256];
        var blueByLumaCb = new byte[256 * 256];
        var cbToG = new double[256];
        var crToG = new double[256];
        for (var chroma = 0; chroma < 256; chroma++)
        {
            var crToR = 1.402 * (chroma - 128);
            var cbToB = 1.772 * (chroma - 128);
            for (var luma = 0; luma < 256; luma++)
            {
                redByLumaCr[chroma << 8 | luma] = ToByte(luma + crToR);
                blueByLumaCb[chroma << 8 | luma] = ToByte(luma + cbToB);
            }
            cbToG[chroma] = 0.3441363 * (chroma - 128);
            crToG[chroma] = 0.71413636 * (chroma - 128);
        }

        fixed (byte* lumaPlane = planes[0], cbPlane = planes[1], crPlane = planes[2], output = rgb)
        fixed (int* lumaX = columns[0], cbX = columns[1], crX = columns[2])
        fixed (byte* red = redByLumaCr, blue = blueByLumaCb)
        fixed (double* greenCb = cbToG, greenCr = crToG)
        {
            for (var y = 0; y < height; y++)
            {
                var lumaLine = lumaPlane + rows[0][y] * strides[0];
                var cbLine = cbPlane + rows[1][y] * strides[1];
                var crLine = crPlane + rows[2][y] * strides[2];
                var pixel = output + (long)y * width * 3;
                for (var x = 0; x < width; x++, pixel += 3)
                {
                    int luma = lumaLine[lumaX[x]], cb = cbLine[cbX[x]], cr = crLine[crX[x]];
                    pixel[0] = red[cr << 8 | luma];
                    pixel[1] = ToByte(luma - greenCb[cb] - greenCr[cr]);
                    pixel[2] = blue[cb << 8 | luma];
                }
            }
        }
    }

    private static void CmykToRgb(byte[][] planes, int[][] columns, int[][] rows, int[] strides, int width, int height, bool fromYcck, byte[] rgb)
    {
        Span<int> sample = stackalloc int[4];
        Span<byte> inverted = stackalloc byte[4];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < 4; c++)
                    sample[c] = planes[c][rows[c][y] * strides[c] + columns[c][x]];

                // getData stores 255 - C, 255 - M, 255 - Y, 255 - K (after YCC → RGB → CMY for YCCK).
                if (fromYcck)
                {
                    double luma = sample[0], cb = sample[1], cr = sample[2];
                    inverted[0] = ToByte(255 - (255 - Clamp(luma + 1.402 * (cr - 128))));
                    inverted[1] = ToByte(255 - (255 - Clamp(luma - 0.3441363 * (cb - 128) - 0.71413636 * (cr - 128))));
                    inverted[2] = ToByte(255 - (255 - Clamp(luma + 1.772 * (cb - 128))));
                }
                else
                {
                    for (var c = 0; c < 3; c++)
                        inverted[c] = (byte)(255 - sample[c]);
                }
                inverted[3] = (byte)(255 - sample[3]);

                // copyToImageData: R = 255 - clamp(C·(1 - K/255) + K) on the stored values.
                int k = inverted[3];
                var o = (y * width + x) * 3;
                for (var c = 0; c < 3; c++)
                    rgb[o + c] = ToByte(255 - Clamp(inverted[c] * (1 - k / 255.0) + k));
            }
        }
    }

    /// <summary>For each output coordinate, the plane coordinate jpeg-js samples: <c>0 | (i * (h / maxH))</c>.</summary>
    private static int[] SourceIndices(int length, int factor, int maxFactor)
    {
        var scale = factor / (double)maxFactor;
        var indices = new int[length];
        for (var i = 0; i < length; i++)
            indices[i] = (int)(i * scale);
        return indices;
    }

    private static double Clamp(double value) => value < 0 ? 0 : value > 255 ? 255 : value;

    /// <summary>clampTo8bit followed by a Uint8Array store (truncation).</summary>
    private static byte ToByte(double value) => (byte)Clamp(value);
}
