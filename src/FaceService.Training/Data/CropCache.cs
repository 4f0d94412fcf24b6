using System.IO.MemoryMappedFiles;
using System.Text;

namespace FaceService.Training.Data;

/// <summary>One cached crop: where it came from and whose face it is (null when the source had no label).</summary>
public sealed record CropEntry(string Source, string? Identity, double DetectorScore);

/// <summary>
/// The aligned HR crops of a training set, detected and aligned once by <c>prepare</c>: <c>crops.bin</c> (a 16-byte
/// header, then 8-bit RGB HWC crops back to back) and <c>index.tsv</c> (one line per crop: identity, detector
/// score, source path). Crops are read through a memory map, so a cache larger than RAM still trains.
/// </summary>
public sealed class CropCache : IDisposable
{
    public const string CropsFileName = "crops.bin";
    public const string IndexFileName = "index.tsv";
    internal const string IndexHeader = "identity\tdetector_score\tsource";
    internal static readonly byte[] Magic = "FSCROPS1"u8.ToArray();
    internal const int HeaderBytes = 16;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly unsafe byte* _start;

    private unsafe CropCache(string directory, int cropSize, IReadOnlyList<CropEntry> entries)
    {
        Directory = directory;
        CropSize = cropSize;
        Entries = entries;
        _file = MemoryMappedFile.CreateFromFile(Path.Combine(directory, CropsFileName), FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _start = pointer + _view.PointerOffset + HeaderBytes;

        // Identity strings → dense class ids 0..n-1 in first-seen order, for the identity loss.
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        IdentityIds = entries.Select(e => e.Identity is null ? -1 : ids.TryGetValue(e.Identity, out var id) ? id : ids[e.Identity] = ids.Count).ToArray();
        IdentityCount = ids.Count;
    }

    public string Directory { get; }

    /// <summary>Side of every square crop, in pixels.</summary>
    public int CropSize { get; }

    public int Count => Entries.Count;

    public IReadOnlyList<CropEntry> Entries { get; }

    /// <summary>Dense identity class per crop, −1 where unlabelled.</summary>
    public IReadOnlyList<int> IdentityIds { get; }

    public int IdentityCount { get; }

    public int CropBytes => CropSize * CropSize * 3;

    public static CropCache Open(string directory)
    {
        var cropsPath = Path.Combine(directory, CropsFileName);
        var indexPath = Path.Combine(directory, IndexFileName);
        if (!File.Exists(cropsPath) || !File.Exists(indexPath))
            throw new FileNotFoundException($"No crop cache in {Path.GetFullPath(directory)}: run `facetrain prepare` first.", cropsPath);

        int cropSize;
        long length;
        using (var stream = File.OpenRead(cropsPath))
        using (var reader = new BinaryReader(stream))
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                throw new InvalidDataException($"{cropsPath} is not a crop cache.");
            cropSize = reader.ReadInt32();
            length = stream.Length;
        }

        var entries = File.ReadLines(indexPath).Skip(1).Select(ParseEntry).ToList();
        var expected = HeaderBytes + (long)entries.Count * cropSize * cropSize * 3;
        if (length != expected)
            throw new InvalidDataException($"{cropsPath} has {length} bytes; its index lists {entries.Count} crops ({expected} bytes). Re-run prepare.");
        return new CropCache(directory, cropSize, entries);
    }

    public unsafe ReadOnlySpan<byte> Crop(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return new ReadOnlySpan<byte>(_start + (long)index * CropBytes, CropBytes);
    }

    /// <summary>The left-right mirror image of a square RGB HWC crop.</summary>
    public static byte[] Mirror(ReadOnlySpan<byte> rgb, int size)
    {
        var mirrored = new byte[rgb.Length];
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
            rgb.Slice((y * size + x) * 3, 3).CopyTo(mirrored.AsSpan((y * size + size - 1 - x) * 3, 3));
        return mirrored;
    }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private static CropEntry ParseEntry(string line)
    {
        var parts = line.Split('\t', 3);
        if (parts.Length != 3)
            throw new InvalidDataException($"Bad crop index line '{line}'.");
        return new CropEntry(parts[2], parts[0].Length == 0 ? null : parts[0], double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Writes a cache: crops and their index rows, and skipped.tsv for photos without a usable face. Flushed at every
/// <see cref="Flush"/>, so an interrupted <c>prepare</c> can <see cref="Resume"/>: the photos already cached or
/// skipped are known by path and the rest are appended.
/// </summary>
public sealed class CropCacheWriter : IDisposable
{
    public const string SkippedFileName = "skipped.tsv";
    private const string SkippedHeader = "reason\tsource";

    private readonly FileStream _crops;
    private readonly StreamWriter _index;
    private readonly StreamWriter _skipped;

    private CropCacheWriter(string directory, int cropSize, FileStream crops, StreamWriter index, StreamWriter skipped, int count, int skippedCount)
    {
        Directory = directory;
        CropSize = cropSize;
        _crops = crops;
        _index = index;
        _skipped = skipped;
        Count = count;
        SkippedCount = skippedCount;
    }

    public string Directory { get; }

    public int CropSize { get; }

    /// <summary>Crops in the cache, including those of an earlier, resumed run.</summary>
    public int Count { get; private set; }

    public int SkippedCount { get; private set; }

    /// <summary>Source paths already cached or skipped (by an earlier run, when resuming).</summary>
    public IReadOnlySet<string> Done { get; private init; } = new HashSet<string>();

    public static CropCacheWriter Create(string directory, int cropSize)
    {
        System.IO.Directory.CreateDirectory(directory);
        var crops = new FileStream(Path.Combine(directory, CropCache.CropsFileName), FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
        var header = new byte[CropCache.HeaderBytes];
        CropCache.Magic.CopyTo(header, 0);
        BitConverter.TryWriteBytes(header.AsSpan(CropCache.Magic.Length), cropSize);
        crops.Write(header);
        var index = new StreamWriter(Path.Combine(directory, CropCache.IndexFileName), false, new UTF8Encoding(false));
        index.WriteLine(CropCache.IndexHeader);
        var skipped = new StreamWriter(Path.Combine(directory, SkippedFileName), false, new UTF8Encoding(false));
        skipped.WriteLine(SkippedHeader);
        return new CropCacheWriter(directory, cropSize, crops, index, skipped, 0, 0);
    }

    /// <summary>
    /// Continues an interrupted cache: keeps the crops whose bytes and index line were both written completely,
    /// and every complete skipped line; a photo lost in between is simply analysed again.
    /// </summary>
    public static CropCacheWriter Resume(string directory, int cropSize)
    {
        var cropsPath = Path.Combine(directory, CropCache.CropsFileName);
        var indexPath = Path.Combine(directory, CropCache.IndexFileName);
        var skippedPath = Path.Combine(directory, SkippedFileName);
        if (!File.Exists(cropsPath) || !File.Exists(indexPath))
            return Create(directory, cropSize);

        using (var reader = new BinaryReader(File.OpenRead(cropsPath)))
            if (!reader.ReadBytes(CropCache.Magic.Length).AsSpan().SequenceEqual(CropCache.Magic) || reader.ReadInt32() != cropSize)
                throw new InvalidDataException($"{cropsPath} is not a cache of {cropSize} px crops: prepare it anew in another folder.");

        var cropBytes = (long)cropSize * cropSize * 3;
        var indexLines = CompleteLines(indexPath).Skip(1).ToList();
        var count = (int)Math.Min(indexLines.Count, (new FileInfo(cropsPath).Length - CropCache.HeaderBytes) / cropBytes);
        var skippedLines = File.Exists(skippedPath) ? CompleteLines(skippedPath).Skip(1).ToList() : [];

        File.WriteAllLines(indexPath, [CropCache.IndexHeader, .. indexLines.Take(count)], new UTF8Encoding(false));
        File.WriteAllLines(skippedPath, [SkippedHeader, .. skippedLines], new UTF8Encoding(false));
        var crops = new FileStream(cropsPath, FileMode.Open, FileAccess.Write, FileShare.Read, 1 << 20);
        crops.SetLength(CropCache.HeaderBytes + count * cropBytes);
        crops.Seek(0, SeekOrigin.End);
        var done = indexLines.Take(count).Select(l => l.Split('\t', 3)[2]).Concat(skippedLines.Select(l => l.Split('\t', 2)[1])).ToHashSet(StringComparer.Ordinal);
        return new CropCacheWriter(directory, cropSize, crops,
            new StreamWriter(indexPath, true, new UTF8Encoding(false)), new StreamWriter(skippedPath, true, new UTF8Encoding(false)), count, skippedLines.Count)
        {
            Done = done,
        };
    }

    public void Add(ReadOnlySpan<byte> rgb, CropEntry entry)
    {
        if (rgb.Length != CropSize * CropSize * 3)
            throw new ArgumentException($"Expected a {CropSize}x{CropSize} RGB crop.", nameof(rgb));
        if (HasSeparator(entry.Source) || HasSeparator(entry.Identity))
            throw new ArgumentException("Tabs and newlines cannot be stored in the crop index.", nameof(entry));
        _crops.Write(rgb);
        _index.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{entry.Identity}\t{entry.DetectorScore:0.####}\t{entry.Source}"));
        Count++;
    }

    public void Skip(string source, string reason)
    {
        _skipped.WriteLine($"{reason.ReplaceLineEndings(" ").Replace('\t', ' ')}\t{source}");
        SkippedCount++;
    }

    /// <summary>Crops first: a resumed cache trusts an index line only when its crop bytes are there too.</summary>
    public void Flush()
    {
        _crops.Flush();
        _index.Flush();
        _skipped.Flush();
    }

    public void Dispose()
    {
        Flush();
        _crops.Dispose();
        _index.Dispose();
        _skipped.Dispose();
    }

    private static bool HasSeparator(string? text) => text is not null && text.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0;

    /// <summary>Lines ended by a newline; an unterminated last line was cut off mid-write.</summary>
    private static IEnumerable<string> CompleteLines(string path)
    {
        var text = File.ReadAllText(path);
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n').Select(l => l.TrimEnd('\r'));
    }
}
