using System.Globalization;

namespace FaceService.Training.Training;

/// <summary>steps.csv: one line per optimisation step with every loss term, appended across resumes.</summary>
public sealed class StepLog : IDisposable
{
    private const string Header = "phase,epoch,step,learning_rate,loss_total,loss_distillation,loss_mmd,loss_identity,elapsed_seconds";
    private readonly StreamWriter _writer;

    public StepLog(string path)
    {
        var exists = File.Exists(path);
        _writer = new StreamWriter(path, append: true) { AutoFlush = false };
        if (!exists)
            _writer.WriteLine(Header);
    }

    public void Write(string phase, int epoch, int step, double learningRate, double total, double distillation, double mmd, double identity, double elapsedSeconds) =>
        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{phase},{epoch},{step},{learningRate:G6},{total:G6},{distillation:G6},{mmd:G6},{identity:G6},{elapsedSeconds:0.###}"));

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();
}
