// Port of jpeg-js 0.4.4 lib/decoder.js (BSD-3-Clause, Copyright (c) 2014 Eugene Ware), itself from pdf.js
// (Copyright 2011 notmasteryet, Apache License 2.0). See JpegJsCompatibleDecoder.cs.

namespace FaceService.Faces.Imaging.Jpeg;

/// <summary>
/// jpeg-js's buildComponentData: dequantize, integer IDCT (poppler's, after Loeffler, Ligtenberg and Moschytz 1989:
/// "Practical fast 1-D DCT algorithms with 11 multiplications") and level shift, into one 8-bit sample plane per
/// component covering its whole blocks. The rounding of every stage is jpeg-js's; int arithmetic wraps as its
/// Int32Array stores do.
/// </summary>
internal static class JpegIdct
{
    private const int Cos1 = 4017;   // cos(pi/16)
    private const int Sin1 = 799;    // sin(pi/16)
    private const int Cos3 = 3406;   // cos(3*pi/16)
    private const int Sin3 = 2276;   // sin(3*pi/16)
    private const int Cos6 = 1567;   // cos(6*pi/16)
    private const int Sin6 = 3784;   // sin(6*pi/16)
    private const int Sqrt2 = 5793;  // sqrt(2)
    private const int Sqrt1d2 = 2896; // sqrt(2) / 2

    /// <summary>The component's samples; the plane is <c>BlocksPerLine * 8</c> wide.</summary>
    public static byte[] BuildPlane(JpegComponent component, ReadOnlySpan<int> quantization)
    {
        var stride = component.BlocksPerLine * 8;
        var plane = new byte[checked(stride * component.BlocksPerColumn * 8)];
        Span<int> workspace = stackalloc int[64];
        for (var blockRow = 0; blockRow < component.BlocksPerColumn; blockRow++)
            for (var blockCol = 0; blockCol < component.BlocksPerLine; blockCol++)
                QuantizeAndInverse(component.Block(blockRow, blockCol), quantization, workspace,
                    plane.AsSpan(blockRow * 8 * stride + blockCol * 8), stride);
        return plane;
    }

    private static void QuantizeAndInverse(ReadOnlySpan<short> block, ReadOnlySpan<int> quantization, Span<int> p, Span<byte> output, int stride)
    {
        for (var i = 0; i < 64; i++)
            p[i] = block[i] * quantization[i];

        for (var row = 0; row < 64; row += 8)
        {
            if (p[1 + row] == 0 && p[2 + row] == 0 && p[3 + row] == 0 && p[4 + row] == 0
                && p[5 + row] == 0 && p[6 + row] == 0 && p[7 + row] == 0)
            {
                p.Slice(row, 8).Fill((Sqrt2 * p[row] + 512) >> 10);
                continue;
            }

            // stage 4
            var v0 = (Sqrt2 * p[0 + row] + 128) >> 8;
            var v1 = (Sqrt2 * p[4 + row] + 128) >> 8;
            var v2 = p[2 + row];
            var v3 = p[6 + row];
            var v4 = (Sqrt1d2 * (p[1 + row] - p[7 + row]) + 128) >> 8;
            var v7 = (Sqrt1d2 * (p[1 + row] + p[7 + row]) + 128) >> 8;
            var v5 = p[3 + row] << 4;
            var v6 = p[5 + row] << 4;

            // stage 3
            var t = (v0 - v1 + 1) >> 1;
            v0 = (v0 + v1 + 1) >> 1;
            v1 = t;
            t = (v2 * Sin6 + v3 * Cos6 + 128) >> 8;
            v2 = (v2 * Cos6 - v3 * Sin6 + 128) >> 8;
            v3 = t;
            t = (v4 - v6 + 1) >> 1;
            v4 = (v4 + v6 + 1) >> 1;
            v6 = t;
            t = (v7 + v5 + 1) >> 1;
            v5 = (v7 - v5 + 1) >> 1;
            v7 = t;

            // stage 2
            t = (v0 - v3 + 1) >> 1;
            v0 = (v0 + v3 + 1) >> 1;
            v3 = t;
            t = (v1 - v2 + 1) >> 1;
            v1 = (v1 + v2 + 1) >> 1;
            v2 = t;
            t = (v4 * Sin3 + v7 * Cos3 + 2048) >> 12;
            v4 = (v4 * Cos3 - v7 * Sin3 + 2048) >> 12;
            v7 = t;
            t = (v5 * Sin1 + v6 * Cos1 + 2048) >> 12;
            v5 = (v5 * Cos1 - v6 * Sin1 + 2048) >> 12;
            v6 = t;

            // stage 1
            p[0 + row] = v0 + v7;
            p[7 + row] = v0 - v7;
            p[1 + row] = v1 + v6;
            p[6 + row] = v1 - v6;
            p[2 + row] = v2 + v5;
            p[5 + row] = v2 - v5;
            p[3 + row] = v3 + v4;
            p[4 + row] = v3 - v4;
        }

        for (var col = 0; col < 8; col++)
        {
            if (p[1 * 8 + col] == 0 && p[2 * 8 + col] == 0 && p[3 * 8 + col] == 0 && p[4 * 8 + col] == 0
                && p[5 * 8 + col] == 0 && p[6 * 8 + col] == 0 && p[7 * 8 + col] == 0)
            {
                var dc = (Sqrt2 * p[col] + 8192) >> 14;
                for (var row = 0; row < 64; row += 8)
                    p[row + col] = dc;
                continue;
            }

            // stage 4
            var v0 = (Sqrt2 * p[0 * 8 + col] + 2048) >> 12;
            var v1 = (Sqrt2 * p[4 * 8 + col] + 2048) >> 12;
            var v2 = p[2 * 8 + col];
            var v3 = p[6 * 8 + col];
            var v4 = (Sqrt1d2 * (p[1 * 8 + col] - p[7 * 8 + col]) + 2048) >> 12;
            var v7 = (Sqrt1d2 * (p[1 * 8 + col] + p[7 * 8 + col]) + 2048) >> 12;
            var v5 = p[3 * 8 + col];
            var v6 = p[5 * 8 + col];

            // stage 3
            var t = (v0 - v1 + 1) >> 1;
            v0 = (v0 + v1 + 1) >> 1;
            v1 = t;
            t = (v2 * Sin6 + v3 * Cos6 + 2048) >> 12;
            v2 = (v2 * Cos6 - v3 * Sin6 + 2048) >> 12;
            v3 = t;
            t = (v4 - v6 + 1) >> 1;
            v4 = (v4 + v6 + 1) >> 1;
            v6 = t;
            t = (v7 + v5 + 1) >> 1;
            v5 = (v7 - v5 + 1) >> 1;
            v7 = t;

            // stage 2
            t = (v0 - v3 + 1) >> 1;
            v0 = (v0 + v3 + 1) >> 1;
            v3 = t;
            t = (v1 - v2 + 1) >> 1;
            v1 = (v1 + v2 + 1) >> 1;
            v2 = t;
            t = (v4 * Sin3 + v7 * Cos3 + 2048) >> 12;
            v4 = (v4 * Cos3 - v7 * Sin3 + 2048) >> 12;
            v7 = t;
            t = (v5 * Sin1 + v6 * Cos1 + 2048) >> 12;
            v5 = (v5 * Cos1 - v6 * Sin1 + 2048) >> 12;
            v6 = t;

            // stage 1
            p[0 * 8 + col] = v0 + v7;
            p[7 * 8 + col] = v0 - v7;
            p[1 * 8 + col] = v1 + v6;
            p[6 * 8 + col] = v1 - v6;
            p[2 * 8 + col] = v2 + v5;
            p[5 * 8 + col] = v2 - v5;
            p[3 * 8 + col] = v3 + v4;
            p[4 * 8 + col] = v3 - v4;
        }

        // level shift to 8 bits
        for (var row = 0; row < 8; row++)
        {
            var line = output.Slice(row * stride, 8);
            for (var col = 0; col < 8; col++)
                line[col] = (byte)Math.Clamp(128 + ((p[row * 8 + col] + 8) >> 4), 0, 255);
        }
    }
}
