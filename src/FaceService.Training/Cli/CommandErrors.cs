namespace FaceService.Training.Cli;

/// <summary>Turns the typed errors of a step (missing input, bad config, bad data) into one clear line and exit code 1.</summary>
public static class CommandErrors
{
    public static int Run(string command, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            Console.Error.WriteLine($"{command}: {e.Message}");
            return 1;
        }
    }
}
