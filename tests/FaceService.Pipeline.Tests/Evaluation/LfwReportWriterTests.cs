using FaceService.Evaluation.Reports;
using FaceService.Evaluation.Verification;
using FaceService.Faces.Alignment;
using Xunit;

namespace FaceService.Pipeline.Tests.Evaluation;

public sealed class LfwReportWriterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lfw-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Synthetic scores whose separation shrinks with resolution, so the numbers differ row by row.</summary>
    private static LfwReport SyntheticReport(string modelId, int folds = 10)
    {
        var random = new Random(11);
        VerificationResult Scores(double separation) => VerificationResult.Evaluate(
            Enumerable.Range(0, folds).SelectMany(fold => Enumerable.Range(0, 50).SelectMany(_ => new[]
            {
                new ScoredPair(separation + random.NextDouble() * 0.5, true, fold),
                new ScoredPair(random.NextDouble() * 0.5, false, fold),
            })).ToList());

        var results = new List<ProtocolResult> { new(PairProtocol.HrHr, null, Scores(0.4)) };
        foreach (var size in new[] { 32, 24, 16, 12, 8 })
        {
            results.Add(new ProtocolResult(PairProtocol.LrLr, size, Scores(size / 100.0)));
            results.Add(new ProtocolResult(PairProtocol.HrLr, size, Scores(size / 80.0)));
        }
        return new LfwReport(
            modelId, "models/synthetic.onnx", 150, AlignmentKind.SimilarityWarp,
            new LfwScope(folds, 10, folds * 100, folds * 200, "pairs.txt", "lfw-deepfunneled"),
            "area downscale, bilinear upscale", "population std",
            new DetectionSummary(new Dictionary<string, int> { ["416@0.5"] = 1800, ["224@0.5"] = 150 }, 50, "mean landmarks", ["A/A_0001.jpg"]),
            results, new LfwTimings(1, 2, 0.1, 3.1, 2000 * 11), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), "facetrain eval ...");
    }

    [Fact]
    public void Writes_json_markdown_and_png_plots_that_read_back()
    {
        var report = SyntheticReport("synthetic");

        var files = LfwReportWriter.WriteAll(report, _directory);

        Assert.Equal(["report.json", "report.md", "accuracy-vs-resolution.png", "roc-lr-lr.png", "roc-hr-lr.png"], files.Select(Path.GetFileName));
        foreach (var png in files.Where(f => f.EndsWith(".png")))
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);

        var back = LfwReportJson.Read(files[0]);
        Assert.Equal(report.ModelId, back.ModelId);
        Assert.Equal(report.Results.Count, back.Results.Count);
        Assert.Equal(report.Results[3].Verification.Accuracy.Folds.Select(f => f.TestAccuracy),
            back.Results[3].Verification.Accuracy.Folds.Select(f => f.TestAccuracy));
        Assert.Contains("\"protocol\": \"lr-lr\"", File.ReadAllText(files[0]));
    }

    [Fact]
    public void The_markdown_table_has_a_row_per_resolution_from_hr_down()
    {
        var report = SyntheticReport("synthetic");
        var hr = report.Find(PairProtocol.HrHr, null)!.Verification;

        var lines = LfwMarkdown.Render(report).Split('\n');

        var rows = lines.Where(l => l.StartsWith("| ") && !l.StartsWith("| resolution")).ToList();
        Assert.Equal(["HR", "32 px", "24 px", "16 px", "12 px", "8 px"], rows.Select(r => r.Split('|')[1].Trim()));
        var hrCell = $"{100 * hr.Accuracy.Mean:F2} ± {100 * hr.Accuracy.PopulationStd:F2}";
        Assert.Equal(2, rows[0].Split('|').Count(c => c.Trim() == hrCell)); // the HR row serves both protocols
        Assert.DoesNotContain(lines, l => l.Contains("QUICK RUN"));
    }

    [Fact]
    public void An_hr_only_run_has_one_row_with_its_accuracy_and_tar()
    {
        var full = SyntheticReport("synthetic");
        var report = full with { Results = [full.Find(PairProtocol.HrHr, null)!] };
        var hr = report.Results[0].Verification;

        var rows = LfwMarkdown.Render(report).Split('\n').Where(l => l.StartsWith("| ")).ToList();

        Assert.Equal(["| resolution | HR accuracy (%) | HR TAR@FAR=1e-3 (%) |",
            $"| HR | {100 * hr.Accuracy.Mean:F2} ± {100 * hr.Accuracy.PopulationStd:F2} | {100 * hr.AtFar1e3.Tar:F2} |"], rows);
    }

    [Fact]
    public void A_partial_run_says_so_in_the_table()
    {
        var report = SyntheticReport("synthetic", folds: 2);

        Assert.Contains("QUICK RUN, NOT THE FULL PROTOCOL: 2 of 10 folds", LfwMarkdown.Render(report));
    }

    [Fact]
    public void Several_reports_share_one_accuracy_plot_and_one_roc_plot()
    {
        var files = LfwReportWriter.WriteComparison([SyntheticReport("teacher"), SyntheticReport("student")], _directory);

        Assert.Equal(["accuracy-vs-resolution.png", "roc-hr.png"], files.Select(Path.GetFileName));
        Assert.All(files, f => Assert.True(new FileInfo(f).Length > 1000));
    }
}
