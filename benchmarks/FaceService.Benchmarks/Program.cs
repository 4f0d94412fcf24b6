using BenchmarkDotNet.Running;
using FaceService.Benchmarks;
using FaceService.Benchmarks.FaceModel;
using FaceService.Benchmarks.LoadTest;

// `dotnet run -c Release -- --filter '*Embedding*'` runs benchmarks (BenchmarkDotNet's own arguments);
// `-- load --url ...` loads a running service (see benchmarks/run-load-test.sh);
// `-- recall` measures USearch recall and index build/load times; `-- report` writes docs/BENCHMARKS.md;
// `-- fit-face-model --cache <train-cache>` fits the face-embedding model the `faces` synthetic galleries sample from.
return args.FirstOrDefault() switch
{
    "recall" => RecallCommand.Run(args[1..]),
    "report" => BenchmarkReport.Write(args[1..]),
    "fit-face-model" => FitFaceModelCommand.Run(args[1..]),
    "load" => await LoadCommand.RunAsync(args[1..]),
    _ => Run(args),
};

static int Run(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(RepoPaths).Assembly).Run(args, BenchmarkConfig.Short());
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}
