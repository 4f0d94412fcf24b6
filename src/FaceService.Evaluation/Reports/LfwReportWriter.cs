namespace FaceService.Evaluation.Reports;

/// <summary>Writes a run's report.json, report.md and PNG plots into one folder.</summary>
public static class LfwReportWriter
{
    public static IReadOnlyList<string> WriteAll(LfwReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string> { Path.Combine(directory, "report.json"), Path.Combine(directory, "report.md") };
        LfwReportJson.Write(report, written[0]);
        LfwMarkdown.Write(report, written[1]);
        if (LfwMarkdown.Sizes(report).Count > 1)
        {
            var accuracy = Path.Combine(directory, "accuracy-vs-resolution.png");
            LfwPlots.AccuracyByResolution([report], accuracy);
            written.Add(accuracy);
        }
        written.AddRange(LfwPlots.RocPerProtocol(report, directory));
        return written;
    }

    /// <summary>Several runs on shared plots: accuracy against resolution (when there are LR sizes), and ROC at HR.</summary>
    public static IReadOnlyList<string> WriteComparison(IReadOnlyList<LfwReport> reports, string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        if (reports.Any(r => LfwMarkdown.Sizes(r).Count > 1))
        {
            written.Add(Path.Combine(directory, "accuracy-vs-resolution.png"));
            LfwPlots.AccuracyByResolution(reports, written[0]);
        }
        var roc = Path.Combine(directory, "roc-hr.png");
        var curves = reports.Select(r => (r.Label, r.Find(PairProtocol.HrHr, null))).Where(c => c.Item2 is not null)
            .Select(c => (c.Label, c.Item2!)).ToList();
        LfwPlots.Roc(curves, reports.All(r => r.Scope.IsFullProtocol) ? "LFW ROC at HR" : "LFW ROC at HR [QUICK RUN: not all folds]", roc);
        written.Add(roc);
        return written;
    }
}
