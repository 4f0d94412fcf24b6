// Port of jpeg-js 0.4.4 lib/decoder.js (BSD-3-Clause, Copyright (c) 2014 Eugene Ware), itself from pdf.js
// (Copyright 2011 notmasteryet, Apache License 2.0). See JpegJsCompatibleDecoder.cs.

namespace FaceService.Faces.Imaging.Jpeg;

/// <summary>One colour component of the frame (SOF) and its quantized DCT coefficients, 64 per 8x8 block.</summary>
internal sealed class JpegComponent
{
    public JpegComponent(int id, int h, int v, int quantizationTableIndex)
    {
        Id = id;
        H = h;
        V = v;
        QuantizationTableIndex = quantizationTableIndex;
    }

    public int Id { get; }
    public int H { get; }
    public int V { get; }
    public int QuantizationTableIndex { get; }

    /// <summary>Blocks that cover the image (a scan of this component alone codes exactly these).</summary>
    public int BlocksPerLine { get; private set; }
    public int BlocksPerColumn { get; private set; }

    /// <summary>Blocks stored per row: whole MCUs, as interleaved scans code them.</summary>
    public int BlocksPerLineForMcu { get; private set; }

    /// <summary>
    /// Coefficients in natural (row-major) order per block, blocks row-major over whole MCUs. 16 bits hold every
    /// coefficient of valid 8-bit data (jpeg-js keeps 32; they differ only once damaged data overflows).
    /// </summary>
    public short[] Coefficients { get; private set; } = [];

    public JpegHuffmanTable? DcTable { get; set; }
    public JpegHuffmanTable? AcTable { get; set; }

    /// <summary>The DC predictor of the current restart interval.</summary>
    public int DcPredictor { get; set; }

    public Span<short> Block(int blockRow, int blockCol) =>
        Coefficients.AsSpan((blockRow * BlocksPerLineForMcu + blockCol) * 64, 64);

    /// <summary>jpeg-js's prepareComponents for this component.</summary>
    internal void Allocate(JpegFrame frame)
    {
        BlocksPerLine = (JpegFrame.CeilDiv(frame.Width, 8) * H + frame.MaxH - 1) / frame.MaxH;
        BlocksPerColumn = (JpegFrame.CeilDiv(frame.Height, 8) * V + frame.MaxV - 1) / frame.MaxV;
        BlocksPerLineForMcu = frame.McusPerLine * H;
        Coefficients = new short[checked(frame.McusPerColumn * V * BlocksPerLineForMcu * 64)];
    }
}

/// <summary>The frame header (SOF0/1/2): size, components and their MCU layout.</summary>
internal sealed class JpegFrame
{
    public JpegFrame(bool progressive, int width, int height, JpegComponent[] components)
    {
        Progressive = progressive;
        Width = width;
        Height = height;
        Components = components;
        MaxH = components.Max(c => c.H);
        MaxV = components.Max(c => c.V);
        McusPerLine = CeilDiv(width, 8 * MaxH);
        McusPerColumn = CeilDiv(height, 8 * MaxV);
        foreach (var component in components)
            component.Allocate(this);
    }

    public bool Progressive { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>In frame order, which is the order of the output channels.</summary>
    public JpegComponent[] Components { get; }

    public int MaxH { get; }
    public int MaxV { get; }
    public int McusPerLine { get; }
    public int McusPerColumn { get; }

    internal static int CeilDiv(int value, int divisor) => (value + divisor - 1) / divisor;
}
