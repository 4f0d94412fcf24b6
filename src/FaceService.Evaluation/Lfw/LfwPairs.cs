namespace FaceService.Evaluation.Lfw;

/// <summary>One View-2 pair: two image paths relative to the image root (<c>Name/Name_NNNN.jpg</c>), the truth, the fold.</summary>
public sealed record LfwPair(string FirstImage, string SecondImage, bool IsSame, int Fold);

/// <summary>The pairs of LFW View 2 as pairs.txt lists them, fold by fold.</summary>
public sealed record LfwPairList(int FoldCount, int PairsPerClassPerFold, IReadOnlyList<LfwPair> Pairs)
{
    /// <summary>The distinct image paths in first-use order: each is decoded, aligned and embedded once.</summary>
    public IReadOnlyList<string> DistinctImages() =>
        Pairs.SelectMany(p => new[] { p.FirstImage, p.SecondImage }).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The pairs of the first <paramref name="folds"/> folds only: a quick run, not the full protocol.</summary>
    public LfwPairList TakeFolds(int folds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(folds, FoldCount);
        return new LfwPairList(folds, PairsPerClassPerFold, Pairs.Where(p => p.Fold < folds).ToList());
    }
}

/// <summary>pairs.txt is malformed; the message names the line.</summary>
public sealed class LfwPairsFormatException(string message) : FormatException(message);

/// <summary>
/// Parses LFW View 2's pairs.txt: a header <c>folds n</c>, then per fold n same-person lines <c>name i j</c> followed
/// by n different-person lines <c>name1 i name2 j</c>. Image k of a person is <c>Name/Name_000k.jpg</c>.
/// </summary>
public static class LfwPairsParser
{
    public static LfwPairList Parse(TextReader reader)
    {
        var lineNumber = 0;
        string? NextLine()
        {
            string? line;
            do { line = reader.ReadLine(); lineNumber++; } while (line is not null && line.Trim().Length == 0);
            return line;
        }

        var header = Fields(NextLine() ?? throw new LfwPairsFormatException("pairs file is empty"));
        if (header.Length != 2 || !TryPositive(header[0], out var folds) || !TryPositive(header[1], out var perClass))
            throw new LfwPairsFormatException($"line {lineNumber}: expected the header 'folds pairsPerClass', e.g. '10 300'");

        var pairs = new List<LfwPair>(folds * perClass * 2);
        for (var fold = 0; fold < folds; fold++)
            foreach (var isSame in new[] { true, false })
                for (var k = 0; k < perClass; k++)
                {
                    var line = NextLine() ?? throw new LfwPairsFormatException(
                        $"unexpected end of file at fold {fold + 1}: expected {folds} folds of {perClass} same and {perClass} different pairs");
                    pairs.Add(ParsePair(Fields(line), isSame, fold, lineNumber));
                }

        if (NextLine() is not null)
            throw new LfwPairsFormatException($"line {lineNumber}: more pairs than the header's {folds} x 2 x {perClass}");
        return new LfwPairList(folds, perClass, pairs);
    }

    public static LfwPairList Load(string path)
    {
        using var reader = new StreamReader(path);
        return Parse(reader);
    }

    /// <summary>The deep-funneled file of a person's image, 1-based as pairs.txt counts.</summary>
    public static string ImagePath(string name, int index) => $"{name}/{name}_{index:D4}.jpg";

    private static LfwPair ParsePair(string[] f, bool isSame, int fold, int lineNumber)
    {
        if (isSame && f.Length == 3 && TryPositive(f[1], out var i) && TryPositive(f[2], out var j))
            return new LfwPair(ImagePath(f[0], i), ImagePath(f[0], j), true, fold);
        if (!isSame && f.Length == 4 && TryPositive(f[1], out i) && TryPositive(f[3], out j))
            return new LfwPair(ImagePath(f[0], i), ImagePath(f[2], j), false, fold);
        var expected = isSame ? "'name i j'" : "'name1 i name2 j'";
        throw new LfwPairsFormatException($"line {lineNumber}: expected a {(isSame ? "same" : "different")}-person pair {expected}");
    }

    private static string[] Fields(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static bool TryPositive(string text, out int value) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value > 0;
}
