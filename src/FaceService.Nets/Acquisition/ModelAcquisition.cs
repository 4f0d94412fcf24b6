namespace FaceService.Nets.Acquisition;

/// <summary>What <c>facetrain models</c> works on.</summary>
public sealed record ModelAcquisitionOptions(string ModelsDirectory)
{
    /// <summary>Fetch, verify and convert again even when the cache says everything is up to date.</summary>
    public bool Force { get; init; }

    public string NpmExecutable { get; init; } = "npm";
}

/// <summary>What a run did.</summary>
public enum ModelAcquisitionOutcome
{
    UpToDate,
    Converted,
}

/// <summary>
/// Produces models/ from the pinned npm package: fetch with npm pack (unless the unpacked cache already matches the
/// pins), verify every used file's SHA-256, convert the nets to ONNX, write the teacher's card, and stamp the result.
/// A run whose stamp matches the pins and the converter version, with every output present, does nothing.
/// </summary>
public static class ModelAcquisition
{
    public static string PackageDirectory(string modelsDirectory) =>
        Path.Combine(modelsDirectory, FaceApiPackage.CacheFolder, "package");

    public static string StampFile(string modelsDirectory) => Path.Combine(modelsDirectory, ".cache", "stamp");

    public static ModelAcquisitionOutcome Run(ModelAcquisitionOptions options, IProgress<string> progress)
    {
        var models = Path.GetFullPath(options.ModelsDirectory);
        var pins = PinnedHashes.Load(Path.Combine(models, FaceApiPackage.PinsFileName));
        var stamp = StampFile(models);
        var expectedStamp = ExpectedStamp(pins);

        var package = PackageDirectory(models);
        if (!options.Force && IsUpToDate(models, package, pins, stamp, expectedStamp))
        {
            progress.Report($"models in {models} are up to date ({FaceApiPackage.Spec}, converter v{FaceApiModelConverter.Version}); use --force to rebuild");
            return ModelAcquisitionOutcome.UpToDate;
        }

        // A half-finished run must not look finished.
        Directory.CreateDirectory(Path.GetDirectoryName(stamp)!);
        File.Delete(stamp);
        if (options.Force || pins.FindMismatches(package).Count > 0)
        {
            progress.Report($"fetching {FaceApiPackage.Spec} with npm pack");
            var cache = Path.Combine(models, FaceApiPackage.CacheFolder);
            if (Directory.Exists(package))
                Directory.Delete(package, recursive: true);
            Directory.CreateDirectory(cache);
            new NpmPackageFetcher(options.NpmExecutable).FetchAndUnpack(FaceApiPackage.Spec, cache);
        }
        progress.Report($"verifying {pins.Entries.Count} files against {FaceApiPackage.PinsFileName}");
        pins.Verify(package);

        FaceApiModelConverter.Convert(package, models, progress);
        File.WriteAllText(stamp, expectedStamp);
        progress.Report($"models written to {models}");
        return ModelAcquisitionOutcome.Converted;
    }

    private static string ExpectedStamp(PinnedHashes pins) =>
        $"converter {FaceApiModelConverter.Version}{Environment.NewLine}{pins.Text}";

    // Re-hashing the few used package files costs well under a second and catches a damaged cache.
    private static bool IsUpToDate(string models, string package, PinnedHashes pins, string stamp, string expectedStamp) =>
        File.Exists(stamp)
        && File.ReadAllText(stamp) == expectedStamp
        && FaceApiModelConverter.OutputFiles.All(f => File.Exists(Path.Combine(models, f)))
        && pins.FindMismatches(package).Count == 0;
}
