namespace FaceService.TestSupport;

/// <summary>
/// tests/reference/ssd-mobilenetv1/reference.json (face-api's own SSD results; see the README beside it) and the
/// synthetic images its script draws, redrawn here bit for bit.
/// </summary>
public static class SsdReferenceFile
{
    public static string Path => System.IO.Path.Combine(TestPaths.ReferenceDir, "ssd-mobilenetv1", "reference.json");

    /// <summary>The demo photo number of a case named "sampleK", or null for a synthetic case.</summary>
    public static int? DemoSample(string caseName) =>
        caseName.StartsWith("sample", StringComparison.Ordinal) ? int.Parse(caseName["sample".Length..]) : null;

    /// <summary>The RGB pixels (HWC) of a case named "syntheticWxH", and its size.</summary>
    public static (int Width, int Height, byte[] Pixels) Synthetic(string caseName)
    {
        var size = caseName["synthetic".Length..].Split('x').Select(int.Parse).ToArray();
        var (width, height) = (size[0], size[1]);
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        for (var c = 0; c < 3; c++)
            pixels[(y * width + x) * 3 + c] = (byte)((x * 7 + y * 13 + c * 85 + x * y / 8) % 256);
        return (width, height, pixels);
    }
}
