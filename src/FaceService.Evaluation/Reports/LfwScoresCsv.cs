using System.Globalization;
using System.Text;
using FaceService.Evaluation.Lfw;

namespace FaceService.Evaluation.Reports;

/// <summary>
/// Every pair's cosine score under every protocol and size, with how each image's face was found, one row per pair
/// in pairs.txt order: enough to recompute the report or to look at the failures.
/// </summary>
public static class LfwScoresCsv
{
    public static void Write(LfwRun run, string path)
    {
        var text = new StringBuilder("fold,same,first,second,first_source,second_source");
        foreach (var result in run.Report.Results)
            text.Append(',').Append(ColumnName(result));
        text.Append('\n');
        for (var i = 0; i < run.Pairs.Count; i++)
        {
            var pair = run.Pairs[i];
            text.Append(CultureInfo.InvariantCulture, $"{pair.Fold},{(pair.IsSame ? 1 : 0)},{pair.FirstImage},{pair.SecondImage},")
                .Append(run.ImageSources[pair.FirstImage]).Append(',').Append(run.ImageSources[pair.SecondImage]);
            foreach (var scores in run.Scores)
                text.Append(',').Append(scores[i].Score.ToString("R", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>"hr", or protocol and size such as "lr-lr-16".</summary>
    public static string ColumnName(ProtocolResult result) => result.Size is { } size
        ? $"{(result.Protocol == PairProtocol.LrLr ? "lr-lr" : "hr-lr")}-{size}"
        : "hr";
}
