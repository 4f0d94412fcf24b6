using ScottPlot;
using ScottPlot.TickGenerators;

namespace FaceService.Evaluation.Reports;

/// <summary>PNG plots of one or several LFW reports: accuracy against resolution, and ROC curves.</summary>
public static class LfwPlots
{
    private const int Width = 900;
    private const int Height = 600;

    /// <summary>
    /// Accuracy against resolution, one line per report and protocol. The x axis is categorical (8, 12, 16, 24, 32,
    /// HR, evenly spaced) because HR has no pixel size of its own; the HR point closes both protocols' lines.
    /// </summary>
    public static void AccuracyByResolution(IReadOnlyList<LfwReport> reports, string path)
    {
        var sizes = reports.SelectMany(LfwMarkdown.Sizes).Distinct().OrderBy(s => s is null ? 1 : 0).ThenBy(s => s).ToList();
        double Position(int? size) => sizes.IndexOf(size);

        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var m = 0; m < reports.Count; m++)
        {
            foreach (var (protocol, pattern) in new[] { (PairProtocol.LrLr, LinePattern.Solid), (PairProtocol.HrLr, LinePattern.Dashed) })
            {
                var points = sizes.Select(s => reports[m].Find(protocol, s)).OfType<ProtocolResult>().ToList();
                if (points.Count < 2 || !points.Any(p => p.Protocol == protocol))
                    continue;
                var line = plot.Add.Scatter(
                    points.Select(p => Position(p.Size)).ToArray(),
                    points.Select(p => 100 * p.Verification.Accuracy.Mean).ToArray(),
                    palette.GetColor(m));
                line.LinePattern = pattern;
                line.LineWidth = 2;
                line.MarkerSize = 7;
                // The label names both models of a cross-model run, so the protocol's short name completes it.
                line.LegendText = $"{reports[m].Label} {(protocol == PairProtocol.LrLr ? "LR-LR" : "HR-LR")}";
            }
        }

        plot.Axes.Bottom.TickGenerator = new NumericManual(
            sizes.Select(Position).ToArray(), sizes.Select(s => s is { } px ? $"{px} px" : "HR").ToArray());
        plot.Axes.SetLimitsX(-0.3, sizes.Count - 0.7);
        plot.Title(Title("LFW verification accuracy vs face resolution", reports));
        plot.XLabel("aligned face resolution (downscaled, then upscaled to the net's input)");
        plot.YLabel("10-fold accuracy (%)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>
    /// ROC curves of the given results, one curve each: TAR at FAR ≤ x against log x, a step function of x (no
    /// interpolation between operating points that do not exist).
    /// </summary>
    public static void Roc(IReadOnlyList<(string Label, ProtocolResult Result)> curves, string title, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < curves.Count; i++)
        {
            var roc = curves[i].Result.Verification.Roc;
            var line = plot.Add.Scatter(
                roc.Select(p => Math.Log10(p.TargetFar)).ToArray(),
                roc.Select(p => 100 * p.Tar).ToArray(),
                palette.GetColor(i));
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = curves[i].Label;
        }

        plot.Axes.Bottom.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = x => $"1e{x:0}",
        };
        plot.Axes.SetLimitsX(-4.05, 0.05);
        plot.Title(title);
        plot.XLabel("false accept rate at most (log scale)");
        plot.YLabel("true accept rate (%)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>One ROC plot per protocol of a single report: a curve per resolution.</summary>
    public static IReadOnlyList<string> RocPerProtocol(LfwReport report, string directory)
    {
        var written = new List<string>();
        foreach (var protocol in new[] { PairProtocol.LrLr, PairProtocol.HrLr })
        {
            var curves = LfwMarkdown.Sizes(report)
                .Select(s => report.Find(protocol, s)).OfType<ProtocolResult>()
                .Select(r => (r.ResolutionLabel, r)).ToList();
            if (!curves.Any(c => c.r.Protocol == protocol))
                continue;
            var path = Path.Combine(directory, $"roc-{(protocol == PairProtocol.LrLr ? "lr-lr" : "hr-lr")}.png");
            Roc(curves, Title($"LFW ROC, {report.ProtocolLabel(protocol)}", [report]), path);
            written.Add(path);
        }
        if (written.Count == 0 && report.Find(PairProtocol.HrHr, null) is { } hr)
        {
            var path = Path.Combine(directory, "roc-hr.png");
            Roc([("HR", hr)], Title($"LFW ROC, {report.ProtocolLabel(PairProtocol.HrHr)}", [report]), path);
            written.Add(path);
        }
        return written;
    }

    private static string Title(string what, IReadOnlyList<LfwReport> reports) =>
        // On its own line: a cross-model title names two models and would push the marker out of the picture.
        reports.All(r => r.Scope.IsFullProtocol) ? what : $"{what}\n[QUICK RUN: not all folds]";
}
