namespace FaceService.Training.Training;

/// <summary>Linear warmup to the peak, then a cosine decay to 0 at the last step.</summary>
public sealed record LearningRateSchedule(double Peak, int WarmupSteps, int TotalSteps)
{
    public double At(int step)
    {
        if (step < WarmupSteps)
            return Peak * (step + 1) / WarmupSteps;
        var progress = (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
        return 0.5 * Peak * (1 + Math.Cos(Math.PI * Math.Min(1, progress)));
    }
}
