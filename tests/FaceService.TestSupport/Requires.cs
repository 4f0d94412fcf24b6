using Xunit;

namespace FaceService.TestSupport;

/// <summary>
/// Skips a test whose inputs are absent. ../shared is optional (a fresh clone elsewhere has none); the models
/// and the face-api package are not: the README's test command produces them first, so their absence fails.
/// </summary>
public static class Requires
{
    public static void Shared() =>
        Skip.IfNot(Directory.Exists(TestPaths.SharedDir), $"{TestPaths.SharedDir} is absent; this test needs ../shared");

    public static string Model(string fileName)
    {
        var path = Path.Combine(TestPaths.ModelsDir, fileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: run `make models` (the README's test command does).", path);
        return path;
    }

    public static string FaceApiPackageFile(string relativePath)
    {
        var path = Path.Combine(TestPaths.FaceApiPackageDir, relativePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: run `make models` (the README's test command does).", path);
        return path;
    }
}
