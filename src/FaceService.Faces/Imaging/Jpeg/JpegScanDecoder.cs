// Port of jpeg-js 0.4.4 lib/decoder.js (BSD-3-Clause, Copyright (c) 2014 Eugene Ware), itself from pdf.js
// (Copyright 2011 notmasteryet, Apache License 2.0). See JpegJsCompatibleDecoder.cs.

namespace FaceService.Faces.Imaging.Jpeg;

/// <summary>
/// jpeg-js's decodeScan: Huffman-decodes one scan (baseline, or one progressive DC/AC first or refinement pass) into
/// the components' coefficient blocks, restart interval by restart interval.
/// </summary>
internal ref struct JpegScanDecoder
{
    /// <summary>Zig-zag position → natural (row-major) index in an 8x8 block.</summary>
    public static ReadOnlySpan<byte> ZigZag =>
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
        28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
        54, 47, 55, 62, 63,
    ];

    private enum Pass { Baseline, DcFirst, DcRefine, AcFirst, AcRefine }

    private JpegBitReader _reader;
    private readonly Pass _pass;
    private readonly int _spectralStart;
    private readonly int _spectralEnd;
    private readonly int _successive;
    private int _eobRun;
    // The AC refinement state machine of jpeg-js (0 initial, 1/2 skipping zeros, 3 set a zero item, 4 end of band).
    private int _refineState;
    private int _refineValue;

    private JpegScanDecoder(ReadOnlySpan<byte> data, int offset, Pass pass, int spectralStart, int spectralEnd, int successive)
    {
        _reader = new JpegBitReader(data, offset);
        _pass = pass;
        _spectralStart = spectralStart;
        _spectralEnd = spectralEnd;
        _successive = successive;
    }

    /// <summary>Decodes the scan whose entropy-coded data starts at <paramref name="offset"/>.</summary>
    /// <returns>The offset of the marker that ends the scan (restart markers inside it are consumed).</returns>
    public static int Decode(ReadOnlySpan<byte> data, int offset, JpegFrame frame, JpegComponent[] components,
        int restartInterval, int spectralStart, int spectralEnd, int successivePrevious, int successive)
    {
        var pass = !frame.Progressive ? Pass.Baseline
            : spectralStart == 0 ? (successivePrevious == 0 ? Pass.DcFirst : Pass.DcRefine)
            : successivePrevious == 0 ? Pass.AcFirst : Pass.AcRefine;
        if (frame.Progressive && (spectralEnd > 63 || spectralStart > spectralEnd || successive > 13))
            throw JpegErrors.Corrupt($"a progressive scan has spectral band {spectralStart}..{spectralEnd} and bit position {successive}");
        foreach (var component in components)
        {
            if (pass is Pass.Baseline or Pass.DcFirst && component.DcTable is null)
                throw JpegErrors.Corrupt($"a scan uses an undefined DC Huffman table for component {component.Id}");
            if (pass is Pass.Baseline or Pass.AcFirst or Pass.AcRefine && component.AcTable is null)
                throw JpegErrors.Corrupt($"a scan uses an undefined AC Huffman table for component {component.Id}");
        }

        var decoder = new JpegScanDecoder(data, offset, pass, spectralStart, spectralEnd, successive);
        return decoder.DecodeIntervals(data, frame, components, restartInterval);
    }

    private int DecodeIntervals(ReadOnlySpan<byte> data, JpegFrame frame, JpegComponent[] components, int restartInterval)
    {
        var single = components.Length == 1 ? components[0] : null;
        var mcuExpected = single is not null ? single.BlocksPerLine * single.BlocksPerColumn : frame.McusPerLine * frame.McusPerColumn;
        var interval = restartInterval > 0 ? restartInterval : mcuExpected;

        var mcu = 0;
        while (true)
        {
            foreach (var component in components)
                component.DcPredictor = 0;
            _eobRun = 0;

            // jpeg-js lets a single-component interval run on past the image's last block (into padding blocks, or
            // failing for want of data); valid data ends with the image, so both loops stop there.
            var intervalEnd = Math.Min(mcuExpected, mcu + interval);
            if (single is not null)
            {
                for (; mcu < intervalEnd; mcu++)
                    DecodeBlock(single, single.Block(mcu / single.BlocksPerLine, mcu % single.BlocksPerLine));
            }
            else
            {
                for (; mcu < intervalEnd; mcu++)
                {
                    var mcuRow = mcu / frame.McusPerLine;
                    var mcuCol = mcu % frame.McusPerLine;
                    foreach (var component in components)
                        for (var row = 0; row < component.V; row++)
                            for (var col = 0; col < component.H; col++)
                                DecodeBlock(component, component.Block(mcuRow * component.V + row, mcuCol * component.H + col));
                }
            }

            // A marker follows the interval's data. jpeg-js expects it right there except after the last interval,
            // where it skips stray bytes first; searching every time decodes valid data identically.
            var marker = FindMarker(data, _reader.Position);
            var isRestart = data[marker + 1] is >= 0xD0 and <= 0xD7;
            if (!isRestart)
                return marker; // jpeg-js also ends the scan early at any other marker
            if (mcu == mcuExpected)
                return marker + 2;
            _reader.Restart(marker + 2);
        }
    }

    private static int FindMarker(ReadOnlySpan<byte> data, int position)
    {
        for (var i = position; i + 1 < data.Length; i++)
            if (data[i] == 0xFF && data[i + 1] != 0)
                return i;
        throw JpegErrors.Truncated();
    }

    private void DecodeBlock(JpegComponent component, Span<short> block)
    {
        switch (_pass)
        {
            case Pass.Baseline: DecodeBaseline(component, block); break;
            case Pass.DcFirst: DecodeDcFirst(component, block); break;
            case Pass.DcRefine: block[0] |= (short)(_reader.ReadBit() << _successive); break;
            case Pass.AcFirst: DecodeAcFirst(component, block); break;
            case Pass.AcRefine: DecodeAcRefine(component, block); break;
        }
    }

    private void DecodeBaseline(JpegComponent component, Span<short> block)
    {
        var category = component.DcTable!.Decode(ref _reader);
        var diff = category == 0 ? 0 : _reader.ReceiveExtend(category);
        block[0] = (short)(component.DcPredictor += diff);
        var ac = component.AcTable!;
        var k = 1;
        while (k < 64)
        {
            var rs = ac.Decode(ref _reader);
            int size = rs & 15, run = rs >> 4;
            if (size == 0)
            {
                if (run < 15)
                    break;
                k += 16;
                continue;
            }
            k += run;
            var value = _reader.ReceiveExtend(size);
            if (k < 64) // past the block jpeg-js writes to no coefficient
                block[ZigZag[k]] = (short)value;
            k++;
        }
    }

    private void DecodeDcFirst(JpegComponent component, Span<short> block)
    {
        var category = component.DcTable!.Decode(ref _reader);
        var diff = category == 0 ? 0 : _reader.ReceiveExtend(category) << _successive;
        block[0] = (short)(component.DcPredictor += diff);
    }

    private void DecodeAcFirst(JpegComponent component, Span<short> block)
    {
        if (_eobRun > 0)
        {
            _eobRun--;
            return;
        }
        var ac = component.AcTable!;
        var k = _spectralStart;
        while (k <= _spectralEnd)
        {
            var rs = ac.Decode(ref _reader);
            int size = rs & 15, run = rs >> 4;
            if (size == 0)
            {
                if (run < 15)
                {
                    _eobRun = _reader.ReadBits(run) + (1 << run) - 1;
                    break;
                }
                k += 16;
                continue;
            }
            k += run;
            var value = _reader.ReceiveExtend(size) * (1 << _successive);
            if (k < 64)
                block[ZigZag[k]] = (short)value;
            k++;
        }
    }

    private void DecodeAcRefine(JpegComponent component, Span<short> block)
    {
        var k = _spectralStart;
        var run = 0;
        while (k <= _spectralEnd)
        {
            var z = ZigZag[k];
            var direction = block[z] < 0 ? -1 : 1;
            switch (_refineState)
            {
                case 0:
                    var rs = component.AcTable!.Decode(ref _reader);
                    var size = rs & 15;
                    run = rs >> 4;
                    if (size == 0)
                    {
                        if (run < 15)
                        {
                            _eobRun = _reader.ReadBits(run) + (1 << run);
                            _refineState = 4;
                        }
                        else
                        {
                            run = 16;
                            _refineState = 1;
                        }
                    }
                    else
                    {
                        if (size != 1)
                            throw JpegErrors.Corrupt("a progressive refinement scan codes a coefficient of more than one bit");
                        _refineValue = _reader.ReceiveExtend(size);
                        _refineState = run != 0 ? 2 : 3;
                    }
                    continue;
                case 1: // skipping run zero items
                case 2:
                    if (block[z] != 0)
                    {
                        block[z] += (short)((_reader.ReadBit() << _successive) * direction);
                    }
                    else
                    {
                        run--;
                        if (run == 0)
                            _refineState = _refineState == 2 ? 3 : 0;
                    }
                    break;
                case 3: // set the value of the next zero item
                    if (block[z] != 0)
                    {
                        block[z] += (short)((_reader.ReadBit() << _successive) * direction);
                    }
                    else
                    {
                        block[z] = (short)(_refineValue << _successive);
                        _refineState = 0;
                    }
                    break;
                case 4: // end of band: only refine what is already non-zero
                    if (block[z] != 0)
                        block[z] += (short)((_reader.ReadBit() << _successive) * direction);
                    break;
            }
            k++;
        }
        if (_refineState == 4)
        {
            _eobRun--;
            if (_eobRun == 0)
                _refineState = 0;
        }
    }
}
