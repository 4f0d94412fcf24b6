using FaceService.Training.Cli;

namespace FaceService.Training.Tests;

/// <summary>Progress reporting that tests do not watch.</summary>
internal sealed class NoProgress : IStepProgress
{
    public void Advance(long amount = 1) { }

    public void Describe(string text) { }
}
