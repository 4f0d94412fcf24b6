using System.Security.Cryptography;

namespace FaceService.Nets.Acquisition;

/// <summary>SHA-256 pins in sha256sum format (<c>hex  relative/path</c>), and the check of a directory against them.</summary>
public sealed class PinnedHashes
{
    private PinnedHashes(IReadOnlyList<(string Path, string Sha256)> entries, string text)
    {
        Entries = entries;
        Text = text;
    }

    public IReadOnlyList<(string Path, string Sha256)> Entries { get; }

    /// <summary>The file's text, which identifies the pinned set (the cache stamp includes it).</summary>
    public string Text { get; }

    public static PinnedHashes Load(string pinsFile)
    {
        if (!File.Exists(pinsFile))
            throw new ModelAcquisitionException($"The SHA-256 pins file {pinsFile} is missing; it is part of the repository (restore it with git).");
        var text = File.ReadAllText(pinsFile);
        var entries = new List<(string, string)>();
        foreach (var (line, number) in text.Split('\n').Select((l, i) => (l.Trim(), i + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var parts = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || parts[0].Length != 64 || !parts[0].All(Uri.IsHexDigit))
                throw new ModelAcquisitionException($"{pinsFile}:{number}: expected '<64 hex digits>  <path>', got '{line}'");
            // sha256sum marks binary mode with a leading '*'.
            entries.Add((parts[1].TrimStart('*'), parts[0].ToLowerInvariant()));
        }
        if (entries.Count == 0)
            throw new ModelAcquisitionException($"{pinsFile} pins no files");
        return new PinnedHashes(entries, text);
    }

    /// <summary>Every pinned file that is missing or differs under <paramref name="directory"/>.</summary>
    public IReadOnlyList<HashMismatch> FindMismatches(string directory)
    {
        var mismatches = new List<HashMismatch>();
        foreach (var (path, expected) in Entries)
        {
            var file = Path.Combine(directory, path);
            var actual = File.Exists(file) ? Sha256Of(file) : null;
            if (actual != expected)
                mismatches.Add(new HashMismatch(path, expected, actual));
        }
        return mismatches;
    }

    /// <exception cref="ModelAcquisitionException">A pinned file is missing or differs; the message names each one.</exception>
    public void Verify(string directory)
    {
        var mismatches = FindMismatches(directory);
        if (mismatches.Count > 0)
            throw new ModelAcquisitionException(
                $"SHA-256 check failed for {mismatches.Count} file(s) of {FaceApiPackage.Spec} in {directory}:" + Environment.NewLine +
                string.Join(Environment.NewLine, mismatches.Select(m => "  " + m)) + Environment.NewLine +
                "The package differs from the pinned one; refusing to convert it. If the pins are meant to change, update " +
                FaceApiPackage.PinsFileName + " deliberately.");
    }

    public static string Sha256Of(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>A pinned file that is missing (<see cref="Actual"/> null) or whose hash differs.</summary>
public sealed record HashMismatch(string Path, string Expected, string? Actual)
{
    public override string ToString() =>
        Actual is null ? $"{Path}: missing (expected sha256 {Expected})" : $"{Path}: expected sha256 {Expected}, actual {Actual}";
}
