namespace FaceService.Benchmarks;

/// <summary>Where the benchmarks find the models, the demo photos and where they write results.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Models => Path.Combine(Root, "models");

    public static string TeacherModel => Path.Combine(Models, "teacher-dlib-resnet.onnx");

    /// <summary>
    /// The float student: FACESERVICE_STUDENT_MODEL, else models/student-lowres-112-v3.onnx, the float export of the shipped
    /// int8 student (models/student-lowres-112-v3.md has the commands). Latency does not depend on the weights, so any
    /// export of the student architecture measures it.
    /// </summary>
    public static string StudentModel =>
        Environment.GetEnvironmentVariable("FACESERVICE_STUDENT_MODEL") is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.Combine(Models, "student-lowres-112-v3.onnx");

    /// <summary>The int8 model <c>facetrain quantize</c> writes beside a float one by default: X.onnx → X-int8.onnx.</summary>
    public static string Int8(string floatModel) =>
        Path.Combine(Path.GetDirectoryName(floatModel)!, Path.GetFileNameWithoutExtension(floatModel) + "-int8.onnx");

    public static string DemoPhoto(int k) => Path.Combine(Models, ".cache", "face-api-1.7.15", "package", "demo", $"sample{k}.jpg");

    public static string Results => Path.Combine(Root, "benchmarks", "results");

    /// <summary>Cache of built USearch graphs, so that a second run loads instead of rebuilding (not committed).</summary>
    public static string IndexCache => Path.Combine(Root, "artifacts", "bench-index-cache");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FaceService.sln")))
                return dir.FullName;
        throw new InvalidOperationException("FaceService.sln not found above " + AppContext.BaseDirectory);
    }
}
