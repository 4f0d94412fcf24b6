using System.Globalization;
using System.Text;
using FaceService.Evaluation.Verification;

namespace FaceService.Evaluation.Reports;

/// <summary>The LFW table in markdown: one row per resolution, accuracy ± std and TAR@FAR=1e-3 per protocol.</summary>
public static class LfwMarkdown
{
    public static string Render(LfwReport report)
    {
        var text = new StringBuilder();
        text.AppendLine($"# LFW verification: {report.Models}");
        text.AppendLine();
        text.AppendLine($"* Scope: {report.Scope.Description}");
        if (report.Gallery is { } gallery)
        {
            text.AppendLine($"* Gallery (first image of each pair, always HR): {gallery.ModelId}, `{gallery.ModelFile}` ({gallery.InputSize}x{gallery.InputSize}), alignment {gallery.Alignment}");
            text.AppendLine($"* Probes (second image of each pair): {report.ModelId}, `{report.ModelFile}` ({report.InputSize}x{report.InputSize}), alignment {report.Alignment}");
            text.AppendLine($"* Cross-model: the HR row is {report.ProtocolLabel(PairProtocol.HrHr)}; LR-LR is not run (both its images would be probes)");
        }
        else
            text.AppendLine($"* Model: `{report.ModelFile}` ({report.InputSize}x{report.InputSize}), alignment {report.Alignment}");
        if (report.LowResolutionModel is { } expert)
            text.AppendLine($"* Routed by resolution: faces below {expert.BelowPixels} source pixels to {expert.ModelId}, `{expert.ModelFile}`; the rest to the model above");
        if (report.MirrorAveraging)
            text.AppendLine("* Embeddings: each face averaged with its mirror image (`--mirror-averaging`)");
        text.AppendLine($"* Accuracy: 10-fold (threshold chosen on the other folds), mean ± {report.AccuracyStd}");
        text.AppendLine("* TAR@FAR=1e-3 over all pairs; threshold = the (⌊FAR·N⌋+1)-th highest impostor score, accept iff cosine > threshold");
        text.AppendLine($"* Low resolution: {report.Degradation}");
        text.AppendLine($"* Detection: {DescribeDetection(report.Detection)}");
        text.AppendLine($"* Time: {report.Timings.TotalSeconds:F0} s ({report.Timings.DetectAlignSeconds:F0} s detect+align, {report.Timings.EmbedSeconds:F0} s for {report.Timings.EmbeddingsComputed} embeddings)");
        text.AppendLine($"* Command: `{report.Command}`");
        text.AppendLine();

        // An HR-only run has one column pair; otherwise the HR row serves both protocols' columns.
        var protocols = new[] { PairProtocol.LrLr, PairProtocol.HrLr }
            .Where(p => report.Results.Any(r => r.Protocol == p)).DefaultIfEmpty(PairProtocol.HrHr).ToList();
        text.Append("| resolution |");
        foreach (var p in protocols)
            text.Append($" {report.ProtocolLabel(p)} accuracy (%) | {report.ProtocolLabel(p)} TAR@FAR=1e-3 (%) |");
        text.AppendLine();
        text.Append("|---|").AppendLine(string.Concat(protocols.Select(_ => "---:|---:|")));

        foreach (var size in Sizes(report))
        {
            text.Append($"| {(size is { } s ? $"{s} px" : "HR")} |");
            foreach (var p in protocols)
                text.Append(report.Find(p, size) is { } r ? $" {AccuracyCell(r.Verification)} | {Percent(r.Verification.AtFar1e3.Tar)} |" : " – | – |");
            text.AppendLine();
        }

        if (report.Find(PairProtocol.HrHr, null) is { } hr)
        {
            text.AppendLine();
            text.AppendLine("Operating points at HR over all pairs (accept iff cosine > threshold):");
            text.AppendLine();
            foreach (var point in new[] { hr.Verification.AtFar1e3, hr.Verification.AtFar1e2 })
                text.AppendLine(FormattableString.Invariant(
                    $"* FAR ≤ {point.TargetFar:G}: threshold {point.Threshold:F4}, TAR {Percent(point.Tar)} %, achieved FAR {point.AchievedFar:G3} ({point.FalseAccepts}/{point.ImpostorPairs})"));
        }
        return text.ToString();
    }

    public static void Write(LfwReport report, string path) => File.WriteAllText(path, Render(report));

    /// <summary>HR first, then the LR sizes from largest to smallest: the table's rows.</summary>
    public static IReadOnlyList<int?> Sizes(LfwReport report) =>
        report.Results.Select(r => r.Size).Distinct().OrderBy(s => s is null ? 0 : 1).ThenByDescending(s => s).ToList();

    private static string DescribeDetection(DetectionSummary detection)
    {
        var stages = string.Join(", ", detection.ImagesPerStage.Select(kv => $"{kv.Value} by {kv.Key}"));
        return $"{stages}; {detection.FallbackImages} by the fallback ({detection.FallbackRule})";
    }

    private static string AccuracyCell(VerificationResult v) =>
        FormattableString.Invariant($"{100 * v.Accuracy.Mean:F2} ± {100 * v.Accuracy.PopulationStd:F2}");

    private static string Percent(double rate) => (100 * rate).ToString("F2", CultureInfo.InvariantCulture);
}
