namespace FaceService.TestSupport;

/// <summary>Where tests find the repository, its models, the face-api package and the read-only ../shared folder.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ModelsDir => Path.Combine(RepoRoot, "models");

    /// <summary>The unpacked npm package that <c>facetrain models</c> fetched and verified.</summary>
    public static string FaceApiPackageDir => Path.Combine(ModelsDir, ".cache", "face-api-1.7.15", "package");

    /// <summary>../shared beside the repository, or FACESERVICE_SHARED. Absent on a fresh clone elsewhere.</summary>
    public static string SharedDir =>
        Environment.GetEnvironmentVariable("FACESERVICE_SHARED") is { Length: > 0 } env
            ? env
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string GoldenDir => Path.Combine(SharedDir, "golden", "face-api");

    /// <summary>Reference outputs committed in the repository (tests/reference), each with the script that made it.</summary>
    public static string ReferenceDir => Path.Combine(RepoRoot, "tests", "reference");

    public static string DemoImage(int k) => Path.Combine(FaceApiPackageDir, "demo", $"sample{k}.jpg");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FaceService.sln")))
                return dir.FullName;
        throw new InvalidOperationException("FaceService.sln not found above " + AppContext.BaseDirectory);
    }
}
