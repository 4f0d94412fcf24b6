using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace FaceService.Benchmarks;

/// <summary>
/// A short job so that a full run fits in minutes on 2 cores: one launch, 2 warm-ups, 7 measured iterations of about
/// 250 ms each, run in this process (no generated project to build). Medians are what the report quotes.
/// </summary>
public static class BenchmarkConfig
{
    public static IConfig Short() => ManualConfig.CreateEmpty()
        .AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(7)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("short"))
        .AddColumnProvider(DefaultColumnProviders.Instance)
        .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
        .AddExporter(JsonExporter.Full, MarkdownExporter.GitHub)
        .AddLogger(ConsoleLogger.Default)
        .WithArtifactsPath(Path.Combine(RepoPaths.Results, "BenchmarkDotNet"));
}
