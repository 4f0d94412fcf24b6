using FaceService.Evaluation.Lfw;
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
    public void A_run_also_writes_every_pair_score_as_csv()
    {
        var report = SyntheticReport("synthetic");
        var pairs = new[] { new LfwPair("A/A_0001.jpg", "A/A_0002.jpg", true, 0), new LfwPair("A/A_0001.jpg", "B/B_0001.jpg", false, 1) };
        var scores = report.Results.Select((_, k) => (IReadOnlyList<ScoredPair>)[new(0.5 + k / 100.0, true, 0), new(-0.25, false, 1)]).ToList();
        var sources = new Dictionary<string, string> { ["A/A_0001.jpg"] = "416@0.5", ["A/A_0002.jpg"] = "224@0.5", ["B/B_0001.jpg"] = "fallback" };

        var files = LfwReportWriter.WriteAll(new LfwRun(report, pairs, scores, sources), _directory);

        var lines = File.ReadAllLines(Path.Combine(_directory, "scores.csv"));
        Assert.Equal("scores.csv", Path.GetFileName(files[2]));
        Assert.Equal("fold,same,first,second,first_source,second_source,hr,lr-lr-32,hr-lr-32,lr-lr-24,hr-lr-24,lr-lr-16,hr-lr-16,lr-lr-12,hr-lr-12,lr-lr-8,hr-lr-8", lines[0]);
        Assert.Equal("0,1,A/A_0001.jpg,A/A_0002.jpg,416@0.5,224@0.5,0.5,0.51,0.52", string.Join(',', lines[1].Split(',').Take(9)));
        Assert.Equal("1,0,A/A_0001.jpg,B/B_0001.jpg,416@0.5,fallback,-0.25", string.Join(',', lines[2].Split(',').Take(7)));
        Assert.Equal(3, lines.Length);
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
    public void A_cross_model_report_names_the_gallery_and_the_probe_model_and_reads_back()
    {
        var single = SyntheticReport("student");
        var report = single with
        {
            Results = single.Results.Where(r => r.Protocol != PairProtocol.LrLr).ToList(),
            Gallery = new LfwGalleryModel("teacher", "models/teacher.onnx", 150, AlignmentKind.SimilarityWarp),
        };

        var markdown = LfwMarkdown.Render(report);
        var files = LfwReportWriter.WriteAll(report, _directory);

        Assert.StartsWith("# LFW verification: gallery: teacher at HR; probes: student\n", markdown.ReplaceLineEndings("\n"));
        Assert.Contains("| resolution | HR(teacher)-LR(student) accuracy (%) | HR(teacher)-LR(student) TAR@FAR=1e-3 (%) |", markdown);
        Assert.Contains("* Cross-model: the HR row is HR(teacher)-HR(student);", markdown);
        Assert.Equal("HR(teacher)-HR(student)", report.ProtocolLabel(PairProtocol.HrHr));
        Assert.Equal("HR", single.ProtocolLabel(PairProtocol.HrHr));
        Assert.Equal(["report.json", "report.md", "accuracy-vs-resolution.png", "roc-hr-lr.png"], files.Select(Path.GetFileName));
        Assert.Equal(report.Gallery, LfwReportJson.Read(files[0]).Gallery);
        Assert.Null(LfwReportJson.Read(LfwReportWriter.WriteAll(single, Path.Combine(_directory, "single"))[0]).Gallery);
    }

    [Fact]
    public void A_mirror_averaged_run_says_so_and_reads_back()
    {
        var plain = SyntheticReport("student");
        var report = plain with { MirrorAveraging = true };

        Assert.Contains("* Embeddings: each face averaged with its mirror image", LfwMarkdown.Render(report));
        Assert.DoesNotContain("mirror", LfwMarkdown.Render(plain));
        Assert.True(LfwReportJson.Read(LfwReportWriter.WriteAll(report, _directory)[0]).MirrorAveraging);
    }

    [Fact]
    public void A_resolution_routed_run_names_the_expert_and_its_boundary_and_reads_back()
    {
        var plain = SyntheticReport("student");
        var report = SyntheticReport("student+expert<20px") with { LowResolutionModel = new LfwLowResolutionModel("expert", "models/expert.onnx", 20) };

        var markdown = LfwMarkdown.Render(report);

        Assert.StartsWith("# LFW verification: student+expert<20px\n", markdown.ReplaceLineEndings("\n"));
        Assert.Contains("* Routed by resolution: faces below 20 source pixels to expert, `models/expert.onnx`; the rest to the model above", markdown);
        Assert.DoesNotContain("Routed", LfwMarkdown.Render(plain));
        Assert.Equal(report.LowResolutionModel, LfwReportJson.Read(LfwReportWriter.WriteAll(report, _directory)[0]).LowResolutionModel);
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
