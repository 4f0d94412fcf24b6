// Port of jpeg-js 0.4.4 lib/decoder.js (BSD-3-Clause, Copyright (c) 2014 Eugene Ware), itself from pdf.js
// (Copyright 2011 notmasteryet, Apache License 2.0). See JpegJsCompatibleDecoder.cs.

namespace FaceService.Faces.Imaging.Jpeg;

/// <summary>
/// One DHT table as canonical codes. jpeg-js walks a code tree bit by bit; canonical decoding gives the same symbol for
/// every code of a valid table, with a 9-bit lookahead so most symbols take one lookup.
/// </summary>
internal sealed class JpegHuffmanTable
{
    public const int LookaheadBits = 9;

    // (code length << 8) | symbol for every 9-bit prefix that starts a code of at most 9 bits; 0 otherwise.
    private readonly ushort[] _lookahead = new ushort[1 << LookaheadBits];
    // Largest code of each length (-1 when the length has no codes) and the offset from a code to its symbol index.
    private readonly int[] _maxCode = new int[17];
    private readonly int[] _symbolOffset = new int[17];
    private readonly byte[] _symbols;

    /// <param name="codeCounts">How many codes have each length 1..16.</param>
    /// <param name="symbols">The symbols in code order.</param>
    public JpegHuffmanTable(ReadOnlySpan<byte> codeCounts, ReadOnlySpan<byte> symbols)
    {
        _symbols = symbols.ToArray();
        var code = 0;
        var index = 0;
        for (var length = 1; length <= 16; length++)
        {
            _symbolOffset[length] = index - code;
            var count = codeCounts[length - 1];
            for (var i = 0; i < count; i++, code++, index++)
            {
                if (code >= 1 << length)
                    throw JpegErrors.Corrupt("a Huffman table has more codes than its code lengths allow");
                if (length <= LookaheadBits)
                {
                    var first = code << (LookaheadBits - length);
                    _lookahead.AsSpan(first, 1 << (LookaheadBits - length)).Fill((ushort)((length << 8) | _symbols[index]));
                }
            }
            _maxCode[length] = count > 0 ? code - 1 : -1;
            code <<= 1;
        }
    }

    /// <summary>The symbol whose code starts at the reader's position.</summary>
    public int Decode(ref JpegBitReader reader)
    {
        var entry = _lookahead[reader.Peek(LookaheadBits)];
        if (entry != 0)
        {
            reader.Skip(entry >> 8);
            return entry & 0xFF;
        }
        for (var length = LookaheadBits + 1; length <= 16; length++)
        {
            var code = reader.Peek(length);
            if (code <= _maxCode[length])
            {
                reader.Skip(length);
                return _symbols[code + _symbolOffset[length]];
            }
        }
        throw JpegErrors.Corrupt("the scan data holds a code that is not in its Huffman table");
    }
}
