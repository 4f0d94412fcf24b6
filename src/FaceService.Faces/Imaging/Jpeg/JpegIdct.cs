// Port of jpeg-js 0.4.4 lib/decoder.js (BSD-3-Clause, Copyright (c) 2014 Eugene Ware), itself from pdf.js
// (Copyright 2011 notmasteryet, Apache License 2.0). See JpegJsCompatibleDecoder.cs.

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
    public static unsafe byte[] BuildPlane(JpegComponent component, ReadOnlySpan<int> quantization)
    {
        if (quantization.Length != 64)
            throw new ArgumentException("A quantization table has 64 entries.", nameof(quantization));
        var stride = component.BlocksPerLine * 8;
        var plane = GC.AllocateUninitializedArray<byte>(checked(stride * component.BlocksPerColumn * 8)); // every block is written
        var workspace = stackalloc int[64];
        fixed (int* table = quantization)
        fixed (byte* samples = plane)
        {
            for (var blockRow = 0; blockRow < component.BlocksPerColumn; blockRow++)
            {
                for (var blockCol = 0; blockCol < component.BlocksPerLine; blockCol++)
                {
                    var block = component.Block(blockRow, blockCol);
                    var output = samples + blockRow * 8 * stride + blockCol * 8;
                    if (block[1..].IndexOfAnyExcept((short)0) < 0)
                        FillDcOnly(block[0] * table[0], output, stride);
                    else
                        fixed (short* coefficients = block)
                            QuantizeAndInverse(coefficients, table, workspace, output, stride);
                }
            }
        }
        return plane;
    }

    /// <summary>
    /// A block without AC coefficients, which is most of them: every all-zero shortcut of the full transform below
    /// applies, so all 64 samples get the same value, computed with the same rounding.
    /// </summary>
    private static unsafe void FillDcOnly(int dc, byte* output, int stride)
    {
        var rows = (Sqrt2 * dc + 512) >> 10;
        var columns = (Sqrt2 * rows + 8192) >> 14;
        var sample = (byte)Math.Clamp(128 + ((columns + 8) >> 4), 0, 255);
        for (var row = 0; row < 8; row++)
            new Span<byte>(output + row * stride, 8).Fill(sample);
    }

    private static unsafe void QuantizeAndInverse(short* block, int* quantization, int* p, byte* output, int stride)
    {
        for (var i = 0; i < 64; i++)
            p[i] = block[i] * quantization[i];

        for (var row = 0; row < 64; row += 8)
        {
            if (p[1 + row] == 0 && p[2 + row] == 0 && p[3 + row] == 0 && p[4 + row] == 0
                && p[5 + row] == 0 && p[6 + row] == 0 && p[7 + row] == 0)
            {
                new Span<int>(p + row, 8).Fill((Sqrt2 * p[row] + 512) >> 10);
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

        // The column pass, four columns per vector: the same integer operations lane by lane, with jpeg-js's
        // all-zero-AC shortcut chosen per column.
        for (var half = 0; half < 8; half += 4)
            InverseColumns(p + half, output + half, stride);
    }

    private static unsafe void InverseColumns(int* p, byte* output, int stride)
    {
        var r0 = Vector128.Load(p);
        var r1 = Vector128.Load(p + 8);
        var r2 = Vector128.Load(p + 16);
        var r3 = Vector128.Load(p + 24);
        var r4 = Vector128.Load(p + 32);
        var r5 = Vector128.Load(p + 40);
        var r6 = Vector128.Load(p + 48);
        var r7 = Vector128.Load(p + 56);
        var acZero = Vector128.Equals(r1 | r2 | r3 | r4 | r5 | r6 | r7, Vector128<int>.Zero);
        var dcOnly = Round(r0 * Sqrt2, 8192, 14);

        // stage 4
        var v0 = Round(r0 * Sqrt2, 2048, 12);
        var v1 = Round(r4 * Sqrt2, 2048, 12);
        var v2 = r2;
        var v3 = r6;
        var v4 = Round((r1 - r7) * Sqrt1d2, 2048, 12);
        var v7 = Round((r1 + r7) * Sqrt1d2, 2048, 12);
        var v5 = r3;
        var v6 = r5;

        // stage 3
        var t = Round(v0 - v1, 1, 1);
        v0 = Round(v0 + v1, 1, 1);
        v1 = t;
        t = Round(v2 * Sin6 + v3 * Cos6, 2048, 12);
        v2 = Round(v2 * Cos6 - v3 * Sin6, 2048, 12);
        v3 = t;
        t = Round(v4 - v6, 1, 1);
        v4 = Round(v4 + v6, 1, 1);
        v6 = t;
        t = Round(v7 + v5, 1, 1);
        v5 = Round(v7 - v5, 1, 1);
        v7 = t;

        // stage 2
        t = Round(v0 - v3, 1, 1);
        v0 = Round(v0 + v3, 1, 1);
        v3 = t;
        t = Round(v1 - v2, 1, 1);
        v1 = Round(v1 + v2, 1, 1);
        v2 = t;
        t = Round(v4 * Sin3 + v7 * Cos3, 2048, 12);
        v4 = Round(v4 * Cos3 - v7 * Sin3, 2048, 12);
        v7 = t;
        t = Round(v5 * Sin1 + v6 * Cos1, 2048, 12);
        v5 = Round(v5 * Cos1 - v6 * Sin1, 2048, 12);
        v6 = t;

        // stage 1, then the level shift to 8 bits
        var top = ToBytes(Sample(v0 + v7, acZero, dcOnly), Sample(v1 + v6, acZero, dcOnly),
            Sample(v2 + v5, acZero, dcOnly), Sample(v3 + v4, acZero, dcOnly));
        var bottom = ToBytes(Sample(v3 - v4, acZero, dcOnly), Sample(v2 - v5, acZero, dcOnly),
            Sample(v1 - v6, acZero, dcOnly), Sample(v0 - v7, acZero, dcOnly));
        for (var row = 0; row < 4; row++)
        {
            Unsafe.WriteUnaligned(output + row * stride, top.GetElement(row));
            Unsafe.WriteUnaligned(output + (row + 4) * stride, bottom.GetElement(row));
        }
    }

    /// <summary>(value + bias) >> shift, arithmetic.</summary>
    private static Vector128<int> Round(Vector128<int> value, int bias, int shift) =>
        Vector128.ShiftRightArithmetic(value + Vector128.Create(bias), shift);

    /// <summary>128 + ((x + 8) >> 4) of the column result, or of the shortcut where the column had no AC, clamped.</summary>
    private static Vector128<int> Sample(Vector128<int> value, Vector128<int> acZero, Vector128<int> dcOnly) =>
        Vector128.Clamp(Round(Vector128.ConditionalSelect(acZero, dcOnly, value), 8, 4) + Vector128.Create(128),
            Vector128<int>.Zero, Vector128.Create(255));

    /// <summary>Four rows of four samples (each 0..255) → one 32-bit group of bytes per row.</summary>
    private static Vector128<uint> ToBytes(Vector128<int> row0, Vector128<int> row1, Vector128<int> row2, Vector128<int> row3) =>
        Vector128.Narrow(Vector128.Narrow(row0, row1), Vector128.Narrow(row2, row3)).AsUInt32();
}
