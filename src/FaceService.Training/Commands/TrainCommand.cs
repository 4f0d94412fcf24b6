using System.CommandLine;
using FaceService.Training.Cli;
using FaceService.Training.Training;

namespace FaceService.Training.Commands;

/// <summary><c>facetrain train --config configs/NAME.json [--resume]</c>.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "Experiment config (configs/*.json).", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the run from its last epoch checkpoint." };
        var command = new Command("train", "Train the student (improved scheme) or the usual-scheme baseline from an experiment config; checkpoints every epoch, steps.csv, summary.json.")
        {
            config, resume,
        };
        command.SetAction(parse => CommandErrors.Run("train", () =>
        {
            var experiment = ExperimentConfig.Load(parse.GetValue(config)!);
            Console.WriteLine($"train: {experiment.Name} ({experiment.Scheme} scheme) -> {experiment.RunDirectory}");
            var phases = DistillationTraining.Run(experiment, parse.GetValue(resume));
            foreach (var phase in phases)
                Console.WriteLine($"  {phase.Name}: {phase.Epochs} epochs, {phase.Steps} steps, {phase.Seconds:0} s ({phase.SamplesPerSecond:0.0} samples/s)");
            Console.WriteLine($"train: summary in {Path.Combine(experiment.RunDirectory, DistillationTraining.SummaryFile)}");
            return 0;
        }));
        return command;
    }
}
