// A C# port of the JPEG decoder of jpeg-js 0.4.4 (lib/decoder.js, https://github.com/jpeg-js/jpeg-js).
// jpeg-js: Copyright (c) 2014 Eugene Ware, BSD-3-Clause; its licence, conditions and disclaimer are in
// LICENSE-jpeg-js.txt beside this file. Its decoder derives from pdf.js: Copyright 2011 notmasteryet, Apache License
// 2.0 (http://www.apache.org/licenses/LICENSE-2.0).
// Changed from the original: C# types and spans; canonical-code Huffman lookup instead of a code tree; 16-bit
// coefficient storage; a vectorised IDCT column pass and tabulated colour products (same integer and float64
// operations); a scan stops at the image's last block and finds the marker after each restart interval by search;
// bounds checks and typed errors for damaged or unsupported data. For valid JPEGs the pixels are jpeg-js's.

using System.Buffers.Binary;

namespace FaceService.Faces.Imaging.Jpeg;

/// <summary>
/// Decodes a JPEG to exactly the RGB bytes jpeg-js 0.4.4 produces with <c>formatAsRGBA: false</c> (its defaults
/// otherwise): the decoder face-api's reference outputs were recorded with. Baseline, extended (8-bit) and progressive
/// Huffman JPEGs with restart intervals; 1 (grey), 3 (always read as YCbCr, as jpeg-js does) or 4 (Adobe CMYK/YCCK)
/// components. EXIF orientation is not applied here.
/// </summary>
/// <exception cref="ImageDecodeException">
/// <see cref="ImageDecodeError.Corrupt"/> for damaged or truncated data, <see cref="ImageDecodeError.UnsupportedFormat"/>
/// for arithmetic coding, lossless/hierarchical JPEG, other than 8-bit samples or 2 components,
/// <see cref="ImageDecodeError.TooLarge"/> for a frame over <see cref="ImageDecodeOptions.MaxPixels"/>.
/// </exception>
public static class JpegJsCompatibleDecoder
{
    public static RgbImage Decode(ReadOnlySpan<byte> data, ImageDecodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var offset = 0;
        if (data.Length < 2 || ReadUInt16(data, ref offset) != 0xFFD8)
            throw JpegErrors.Corrupt("no start-of-image marker");

        var quantizationTables = new int[16][];
        var dcTables = new JpegHuffmanTable?[16];
        var acTables = new JpegHuffmanTable?[16];
        JpegFrame? frame = null;
        JpegAdobeMarker? adobe = null;
        var restartInterval = 0;
        var scans = 0;
        var malformedAppOffset = -1;

        var marker = ReadUInt16(data, ref offset);
        while (marker != 0xFFD9)
        {
            switch (marker)
            {
                case 0xFF00:
                    break;

                case >= 0xFFE0 and <= 0xFFEF or 0xFFFE: // APPn, COM
                    var segment = ReadSegment(data, ref offset);
                    if (marker == 0xFFEE && segment.Length >= 6 && segment[..6].SequenceEqual("Adobe\0"u8))
                        adobe = new JpegAdobeMarker(segment.Length > 11 ? segment[11] : (byte)0);
                    break;

                case 0xFFDB:
                    ReadQuantizationTables(data, ref offset, quantizationTables);
                    break;

                case 0xFFC0 or 0xFFC1 or 0xFFC2: // baseline, extended, progressive Huffman
                    if (frame is not null)
                        throw JpegErrors.Corrupt("more than one frame header");
                    frame = ReadFrame(data, ref offset, progressive: marker == 0xFFC2, options);
                    break;

                case 0xFFC4:
                    ReadHuffmanTables(data, ref offset, dcTables, acTables);
                    break;

                case 0xFFDD:
                    ReadUInt16(data, ref offset); // segment length
                    restartInterval = ReadUInt16(data, ref offset);
                    break;

                case 0xFFDC: // DNL: jpeg-js ignores the line count
                    ReadUInt16(data, ref offset);
                    ReadUInt16(data, ref offset);
                    break;

                case 0xFFDA:
                    offset = DecodeScan(data, offset, frame, dcTables, acTables, restartInterval);
                    scans++;
                    break;

                case 0xFFFF: // fill byte
                    if (offset >= data.Length || data[offset] != 0xFF)
                        offset--;
                    break;

                case 0xFFC3 or 0xFFC5 or 0xFFC6 or 0xFFC7 or 0xFFF7:
                    throw JpegErrors.Unsupported("lossless or hierarchical JPEG");

                case >= 0xFFC9 and <= 0xFFCF: // arithmetic-coded frames and DAC
                    throw JpegErrors.Unsupported("arithmetic coding");

                default:
                    if (data[offset - 3] == 0xFF && data[offset - 2] is >= 0xC0 and <= 0xFE)
                    {
                        // The encoder ate the last FF of the previous segment: the marker starts one byte earlier.
                        offset -= 3;
                        break;
                    }
                    if (marker is 0xE0 or 0xE1 && malformedAppOffset == -1)
                    {
                        // jpeg-js recovers once from an APP0/APP1 segment with a wrong length (seen on some phones).
                        malformedAppOffset = offset - 1;
                        var length = ReadUInt16(data, ref offset);
                        var next = offset + length - 2;
                        if (next >= 0 && next < data.Length && data[next] == 0xFF)
                        {
                            offset = next;
                            break;
                        }
                    }
                    throw JpegErrors.Corrupt($"unknown marker {marker:X4} at offset {offset - 2}");
            }
            marker = ReadUInt16(data, ref offset);
        }

        if (frame is null)
            throw JpegErrors.Corrupt("no frame header");
        if (scans == 0)
            throw JpegErrors.Corrupt("no scan");

        var planes = new byte[frame.Components.Length][];
        for (var i = 0; i < planes.Length; i++)
        {
            var component = frame.Components[i];
            // Tables are resolved once the whole file is read, as jpeg-js does.
            var table = component.QuantizationTableIndex < 16 ? quantizationTables[component.QuantizationTableIndex] : null;
            if (table is null)
                throw JpegErrors.Corrupt($"component {component.Id} uses undefined quantization table {component.QuantizationTableIndex}");
            planes[i] = JpegIdct.BuildPlane(component, table);
        }
        return new RgbImage(frame.Width, frame.Height, JpegColorConverter.ToRgb(frame, planes, adobe));
    }

    private static JpegFrame ReadFrame(ReadOnlySpan<byte> data, ref int offset, bool progressive, ImageDecodeOptions options)
    {
        ReadUInt16(data, ref offset); // segment length
        var precision = ReadByte(data, ref offset);
        if (precision != 8)
            throw JpegErrors.Unsupported($"{precision}-bit samples");
        var height = ReadUInt16(data, ref offset);
        var width = ReadUInt16(data, ref offset);
        if (width == 0 || height == 0)
            throw JpegErrors.Corrupt($"the frame is {width}x{height}");
        if ((long)width * height > options.MaxPixels || (long)width * height * 3 > Array.MaxLength)
            throw new ImageDecodeException(ImageDecodeError.TooLarge,
                $"The image is {width}x{height} ({(long)width * height} pixels); the limit is {Math.Min(options.MaxPixels, Array.MaxLength / 3)} pixels.");

        var count = ReadByte(data, ref offset);
        if (count is not (1 or 3 or 4))
            throw count == 0 ? JpegErrors.Corrupt("a frame without components") : JpegErrors.Unsupported($"{count} colour components");
        var components = new JpegComponent[count];
        for (var i = 0; i < count; i++)
        {
            var id = ReadByte(data, ref offset);
            var sampling = ReadByte(data, ref offset);
            var quantizationTable = ReadByte(data, ref offset);
            int h = sampling >> 4, v = sampling & 15;
            if (h is < 1 or > 4 || v is < 1 or > 4)
                throw JpegErrors.Corrupt($"component {id} has sampling factors {h}x{v} (1 to 4 allowed)");
            if (components.Take(i).Any(c => c.Id == id))
                throw JpegErrors.Corrupt($"component id {id} appears twice in the frame header");
            components[i] = new JpegComponent(id, h, v, quantizationTable);
        }
        return new JpegFrame(progressive, width, height, components);
    }

    private static void ReadQuantizationTables(ReadOnlySpan<byte> data, ref int offset, int[][] tables)
    {
        var length = ReadUInt16(data, ref offset);
        var end = offset + length - 2;
        while (offset < end)
        {
            var spec = ReadByte(data, ref offset);
            var table = new int[64];
            for (var j = 0; j < 64; j++)
            {
                table[JpegScanDecoder.ZigZag[j]] = (spec >> 4) switch
                {
                    0 => ReadByte(data, ref offset),
                    1 => ReadUInt16(data, ref offset),
                    _ => throw JpegErrors.Corrupt($"quantization table precision {spec >> 4}"),
                };
            }
            tables[spec & 15] = table;
        }
    }

    private static void ReadHuffmanTables(ReadOnlySpan<byte> data, ref int offset, JpegHuffmanTable?[] dcTables, JpegHuffmanTable?[] acTables)
    {
        var length = ReadUInt16(data, ref offset);
        for (var read = 2; read < length;)
        {
            var spec = ReadByte(data, ref offset);
            var codeCounts = ReadBytes(data, ref offset, 16);
            var symbolCount = 0;
            foreach (var count in codeCounts)
                symbolCount += count;
            var table = new JpegHuffmanTable(codeCounts, ReadBytes(data, ref offset, symbolCount));
            (spec >> 4 == 0 ? dcTables : acTables)[spec & 15] = table;
            read += 17 + symbolCount;
        }
    }

    private static int DecodeScan(ReadOnlySpan<byte> data, int offset, JpegFrame? frame,
        JpegHuffmanTable?[] dcTables, JpegHuffmanTable?[] acTables, int restartInterval)
    {
        if (frame is null)
            throw JpegErrors.Corrupt("a scan before the frame header");
        ReadUInt16(data, ref offset); // segment length: jpeg-js reads the fields that follow regardless
        var count = ReadByte(data, ref offset);
        if (count is < 1 or > 4)
            throw JpegErrors.Corrupt($"a scan of {count} components");
        var components = new JpegComponent[count];
        for (var i = 0; i < count; i++)
        {
            var id = ReadByte(data, ref offset);
            var tables = ReadByte(data, ref offset);
            var component = Array.Find(frame.Components, c => c.Id == id)
                ?? throw JpegErrors.Corrupt($"a scan refers to component {id}, which the frame does not have");
            component.DcTable = dcTables[tables >> 4];
            component.AcTable = acTables[tables & 15];
            components[i] = component;
        }
        var spectralStart = ReadByte(data, ref offset);
        var spectralEnd = ReadByte(data, ref offset);
        var approximation = ReadByte(data, ref offset);
        return JpegScanDecoder.Decode(data, offset, frame, components, restartInterval,
            spectralStart, spectralEnd, approximation >> 4, approximation & 15);
    }

    private static ReadOnlySpan<byte> ReadSegment(ReadOnlySpan<byte> data, ref int offset)
    {
        var length = ReadUInt16(data, ref offset);
        if (length < 2)
            throw JpegErrors.Corrupt($"a segment length of {length}");
        return ReadBytes(data, ref offset, length - 2);
    }

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> data, ref int offset, int count)
    {
        if (offset + count > data.Length)
            throw JpegErrors.Truncated();
        var bytes = data.Slice(offset, count);
        offset += count;
        return bytes;
    }

    private static byte ReadByte(ReadOnlySpan<byte> data, ref int offset) =>
        offset < data.Length ? data[offset++] : throw JpegErrors.Truncated();

    private static int ReadUInt16(ReadOnlySpan<byte> data, ref int offset) =>
        BinaryPrimitives.ReadUInt16BigEndian(ReadBytes(data, ref offset, 2));
}

/// <summary>The APP14 "Adobe" segment; a non-zero transform marks four components as YCCK rather than CMYK.</summary>
internal readonly record struct JpegAdobeMarker(byte TransformCode);
