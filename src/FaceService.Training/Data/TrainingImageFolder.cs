namespace FaceService.Training.Data;

/// <summary>One training photo: its path and, when the folder's labels.tsv names it, its identity.</summary>
public sealed record TrainingImage(string Path, string? Identity);

/// <summary>
/// Any folder of images, so users bring their own data: every image file below it (sorted, for a stable order),
/// with identities from an optional <c>labels.tsv</c> at its root (<c>file&lt;TAB&gt;identity</c>, file names
/// without directories). Identity strings are global: the same string in two folders is the same person
/// (CelebA's two folders share CelebA's numbers).
/// </summary>
public static class TrainingImageFolder
{
    public const string LabelsFileName = "labels.tsv";

    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
        { ".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif", ".tif", ".tiff" };

    public static IReadOnlyList<TrainingImage> Scan(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Training folder {Path.GetFullPath(folder)} does not exist.");
        var labels = ReadLabels(Path.Combine(folder, LabelsFileName));
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(path => ImageExtensions.Contains(Path.GetExtension(path)))
            .Order(StringComparer.Ordinal)
            .Select(path => new TrainingImage(path, labels.GetValueOrDefault(Path.GetFileName(path))))
            .ToList();
    }

    private static Dictionary<string, string> ReadLabels(string path)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
            return labels;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            var parts = line.Split('\t');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new InvalidDataException($"{path}:{lineNumber}: expected 'file<TAB>identity', got '{line}'.");
            labels[parts[0]] = parts[1];
        }

        return labels;
    }
}
