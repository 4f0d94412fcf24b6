// Port of jpeg-js 0.4.4 lib/decoder.js (BSD-3-Clause, Copyright (c) 2014 Eugene Ware), itself from pdf.js
// (Copyright 2011 notmasteryet, Apache License 2.0). See JpegJsCompatibleDecoder.cs.

namespace FaceService.Faces.Imaging.Jpeg;

/// <summary>
/// Entropy-coded bits of one restart interval, most significant first, with stuffed FF 00 bytes unstuffed. Bytes are
/// buffered ahead for fast Huffman lookups, but never past a marker: from there zero bits are supplied, and consuming
/// one of them means the interval's data ended early (jpeg-js throws "unexpected marker" there).
/// </summary>
internal ref struct JpegBitReader(ReadOnlySpan<byte> data, int position)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private ulong _bits;
    private int _count;      // bits in _bits, counted from the least significant end
    private int _padding;    // how many of the lowest _count bits are zeros supplied after a marker or the data end
    private bool _atMarker;

    /// <summary>Next byte not yet loaded: after an interval, where the search for its marker starts.</summary>
    public int Position { get; private set; } = position;

    public int Peek(int count)
    {
        if (_count < count)
            Fill();
        return (int)(_bits >> (_count - count)) & ((1 << count) - 1);
    }

    public void Skip(int count)
    {
        _count -= count;
        if (_count < _padding)
            throw JpegErrors.Corrupt("a scan ends before its last block");
    }

    public int ReadBits(int count)
    {
        var value = Peek(count);
        Skip(count);
        return value;
    }

    public int ReadBit() => ReadBits(1);

    /// <summary>jpeg-js's receiveAndExtend: <paramref name="length"/> bits as a signed magnitude of that category.</summary>
    public int ReceiveExtend(int length)
    {
        if (length > 16)
            throw JpegErrors.Corrupt($"a coefficient of magnitude category {length} (at most 16 exist)");
        var value = ReadBits(length);
        return value >= 1 << (length - 1) ? value : value + (-1 << length) + 1;
    }

    /// <summary>
    /// Starts a restart interval at <paramref name="position"/>, dropping what is buffered (the encoder pads the last
    /// byte of an interval with ones).
    /// </summary>
    public void Restart(int position)
    {
        Position = position;
        _bits = 0;
        _count = 0;
        _padding = 0;
        _atMarker = false;
    }

    private void Fill()
    {
        while (_count <= 56)
        {
            byte next = 0;
            if (!_atMarker && Position < _data.Length)
            {
                next = _data[Position];
                if (next != 0xFF)
                    Position++;
                else if (Position + 1 < _data.Length && _data[Position + 1] == 0)
                    Position += 2; // stuffed FF 00 is a literal FF
                else
                    _atMarker = true;
            }
            else
            {
                _atMarker = true;
            }

            if (_atMarker)
            {
                next = 0;
                _padding += 8;
            }
            _bits = (_bits << 8) | next;
            _count += 8;
        }
    }
}
