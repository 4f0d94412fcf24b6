using System.Diagnostics;
using Spectre.Console;

namespace FaceService.Training.Cli;

/// <summary>What a long step reports while it runs.</summary>
public interface IStepProgress
{
    void Advance(long amount = 1);

    /// <summary>Replaces the line's text, e.g. with the current epoch and loss.</summary>
    void Describe(string text);
}

/// <summary>
/// A progress bar with elapsed time and ETA on a terminal; when output goes to a file (a nohup run), a plain
/// line every <see cref="LogInterval"/> instead, with the same numbers, so logs show progress too.
/// </summary>
public static class ConsoleProgress
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(30);

    public static T Run<T>(string description, long total, Func<IStepProgress, T> work)
    {
        if (!Console.IsOutputRedirected)
        {
            return AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(context => work(new SpectreStep(context.AddTask(Markup.Escape(description), maxValue: total))));
        }

        var step = new LoggedStep(description, total);
        var result = work(step);
        step.Report(force: true);
        return result;
    }

    public static void Run(string description, long total, Action<IStepProgress> work) =>
        Run<object?>(description, total, progress =>
        {
            work(progress);
            return null;
        });

    private sealed class SpectreStep(ProgressTask task) : IStepProgress
    {
        public void Advance(long amount = 1) => task.Increment(amount);

        public void Describe(string text) => task.Description = Markup.Escape(text);
    }

    private sealed class LoggedStep(string description, long total) : IStepProgress
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly object _lock = new();
        private long _done;
        private string _text = description;
        private TimeSpan _lastReport;

        public void Advance(long amount = 1)
        {
            Interlocked.Add(ref _done, amount);
            Report(force: false);
        }

        public void Describe(string text)
        {
            lock (_lock)
                _text = text;
        }

        public void Report(bool force)
        {
            lock (_lock)
            {
                var elapsed = _clock.Elapsed;
                if (!force && elapsed - _lastReport < LogInterval)
                    return;
                _lastReport = elapsed;
                var done = Interlocked.Read(ref _done);
                var eta = done > 0 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (total - done) / done) : (TimeSpan?)null;
                Console.WriteLine($"{_text}: {done}/{total} ({100.0 * done / Math.Max(1, total):0.0}%) elapsed {elapsed:hh\\:mm\\:ss} ETA {(eta is { } e ? e.ToString(@"hh\:mm\:ss") : "?")}");
            }
        }
    }
}
