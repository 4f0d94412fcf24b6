using System.Diagnostics;
using FaceService.Training.Cli;
using FaceService.Training.Data;
using FaceService.Training.Losses;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Training.Training;

/// <summary>
/// One optimisation phase: a model learns to map each batch's inputs onto its targets under an objective.
/// The student's distillation, and the usual scheme's teacher fine-tuning, are both phases.
/// </summary>
public sealed class TrainingPhase
{
    public required string Name { get; init; }

    public required nn.Module<Tensor, Tensor> Model { get; init; }

    /// <summary>The identity loss's class centres, trained alongside when the objective uses them.</summary>
    public CosFaceHead? IdentityHead { get; init; }

    public required StudentObjective Objective { get; init; }

    public required OptimizationOptions Optimization { get; init; }

    public required DistillationLoader Loader { get; init; }

    /// <summary>What the model sees: the batch's LR faces at its input size.</summary>
    public required Func<DistillationBatch, Tensor> Inputs { get; init; }

    /// <summary>What it must reproduce: cached HR teacher embeddings, or a (fine-tuned) teacher run on the batch.</summary>
    public required Func<DistillationBatch, Tensor> Targets { get; init; }

    /// <summary>
    /// Trains the remaining epochs (all, or those after the last checkpoint when resuming), checkpointing after
    /// every epoch and logging every step. Returns the phase's state including time spent in earlier runs.
    /// </summary>
    public PhaseState Run(PhaseCheckpoints checkpoints, bool resume, StepLog log)
    {
        var parameters = Model.parameters().Concat(IdentityHead?.parameters() ?? []).Where(p => p.requires_grad).ToList();
        var optimizer = CreateOptimizer(parameters);
        var stepsPerEpoch = Loader.BatchesPerEpoch;
        var schedule = new LearningRateSchedule(Optimization.LearningRate, Optimization.WarmupSteps, Optimization.Epochs * stepsPerEpoch);

        var state = new PhaseState(0, 0, 0);
        if (resume && checkpoints.Latest() is { } saved)
        {
            checkpoints.Load(saved, Model, IdentityHead, optimizer);
            state = saved;
        }

        if (state.CompletedEpochs >= Optimization.Epochs)
            return state;

        var clock = Stopwatch.StartNew();
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        var total = (long)(Optimization.Epochs - state.CompletedEpochs) * stepsPerEpoch;
        return ConsoleProgress.Run(Name, total, progress =>
        {
            Model.train();
            IdentityHead?.train();
            for (var epoch = state.CompletedEpochs; epoch < Optimization.Epochs; epoch++)
            {
                double epochLoss = 0;
                var step = state.Steps;
                foreach (var batch in Loader.Epoch(epoch))
                {
                    using (batch)
                    using (NewDisposeScope())
                    {
                        var learningRate = schedule.At(step);
                        foreach (var group in optimizer.ParamGroups)
                            group.LearningRate = learningRate;

                        var targets = Targets(batch);
                        var embeddings = Model.forward(Inputs(batch));
                        var loss = Objective.Compute(embeddings, targets, batch.Identities);
                        optimizer.zero_grad();
                        loss.Total.backward();
                        optimizer.step();

                        var value = loss.Total.item<float>();
                        if (!float.IsFinite(value))
                            throw new InvalidOperationException($"{Name}: the loss became {value} at step {step}; lower the learning rate.");
                        epochLoss += value;
                        log.Write(Name, epoch + 1, step + 1, learningRate, value, loss.Distillation, loss.Mmd, loss.Identity, state.Seconds + clock.Elapsed.TotalSeconds);
                        step++;
                        progress.Describe($"{Name} epoch {epoch + 1}/{Optimization.Epochs} loss {value:0.0000}");
                        progress.Advance();
                    }
                }

                log.Flush();
                var cpuNow = Process.GetCurrentProcess().TotalProcessorTime;
                state = new PhaseState(epoch + 1, step, state.Seconds + clock.Elapsed.TotalSeconds, state.CpuSeconds + (cpuNow - cpuAtStart).TotalSeconds);
                clock.Restart();
                cpuAtStart = cpuNow;
                checkpoints.Save(state, Model, IdentityHead, optimizer);
                Console.WriteLine($"{Name}: epoch {epoch + 1}/{Optimization.Epochs} mean loss {epochLoss / stepsPerEpoch:0.00000}, {state.Seconds:0} s so far");
            }

            return state;
        });
    }

    private OptimizerHelper CreateOptimizer(IReadOnlyList<Parameter> parameters) => Optimization.Optimizer switch
    {
        OptimizerKind.Sgd => optim.SGD(parameters, Optimization.LearningRate, momentum: Optimization.Momentum, weight_decay: Optimization.WeightDecay),
        OptimizerKind.AdamW => optim.AdamW(parameters, Optimization.LearningRate, weight_decay: Optimization.WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(Optimization.Optimizer), Optimization.Optimizer, null),
    };
}
