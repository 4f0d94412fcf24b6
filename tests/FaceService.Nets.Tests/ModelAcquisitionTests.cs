using System.Diagnostics;
using System.Text.Json.Nodes;
using FaceService.Nets.Acquisition;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Nets.Tests;

/// <summary>
/// <c>facetrain models</c> on throw-away models directories seeded from the repository's verified package cache,
/// with an npm that does not exist: any attempt to fetch would fail, so a passing run proves it used the cache.
/// </summary>
public sealed class ModelAcquisitionTests : IDisposable
{
    private readonly List<string> _directories = [];
    private const string NoNpm = "facetrain-test-npm-that-does-not-exist";
    private static readonly IProgress<string> Quiet = new Progress<string>();

    [Fact]
    public void A_changed_byte_fails_verification_naming_the_file_and_both_hashes()
    {
        var pins = PinnedHashes.Load(RepoPinsFile);
        var package = CopyPackage(NewDirectory());
        const string victim = "model/tiny_face_detector_model.bin";
        var bytes = File.ReadAllBytes(Path.Combine(package, victim));
        bytes[1000] ^= 0x01;
        File.WriteAllBytes(Path.Combine(package, victim), bytes);

        var error = Assert.Throws<ModelAcquisitionException>(() => pins.Verify(package));

        var expected = pins.Entries.Single(e => e.Path == victim).Sha256;
        Assert.Contains($"{victim}: expected sha256 {expected}, actual {PinnedHashes.Sha256Of(Path.Combine(package, victim))}", error.Message);
        Assert.DoesNotContain("model/face_recognition_model.bin", error.Message);
    }

    [Fact]
    public void A_missing_file_is_reported_as_missing()
    {
        var package = CopyPackage(NewDirectory());
        File.Delete(Path.Combine(package, "demo", "sample4.jpg"));

        var error = Assert.Throws<ModelAcquisitionException>(() => PinnedHashes.Load(RepoPinsFile).Verify(package));
        Assert.Contains("demo/sample4.jpg: missing", error.Message);
    }

    [Fact]
    public void The_first_run_converts_from_the_cache_and_a_second_run_is_a_no_op()
    {
        var models = NewModelsDirectory();
        CopyPackage(ModelAcquisition.PackageDirectory(models));
        var options = new ModelAcquisitionOptions(models) { NpmExecutable = NoNpm };

        Assert.Equal(ModelAcquisitionOutcome.Converted, ModelAcquisition.Run(options, Quiet));
        var written = FaceApiModelConverter.OutputFiles.ToDictionary(f => f, f => File.GetLastWriteTimeUtc(Path.Combine(models, f)));

        var clock = Stopwatch.StartNew();
        Assert.Equal(ModelAcquisitionOutcome.UpToDate, ModelAcquisition.Run(options, Quiet));
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 2);
        Assert.All(written, w => Assert.Equal(w.Value, File.GetLastWriteTimeUtc(Path.Combine(models, w.Key))));
    }

    [Fact]
    public void A_damaged_cache_is_fetched_again()
    {
        var models = NewModelsDirectory();
        var package = CopyPackage(ModelAcquisition.PackageDirectory(models));
        File.AppendAllText(Path.Combine(package, FaceApiPackage.RecognitionManifest), " ");

        // The refetch is attempted (and fails here, npm being absent) instead of converting a package that differs.
        var error = Assert.Throws<ModelAcquisitionException>(() =>
            ModelAcquisition.Run(new ModelAcquisitionOptions(models) { NpmExecutable = NoNpm }, Quiet));
        Assert.Contains(NoNpm, error.Message);
    }

    [Fact]
    public void Without_npm_the_error_says_to_install_Nodejs()
    {
        var error = Assert.Throws<ModelAcquisitionException>(() =>
            ModelAcquisition.Run(new ModelAcquisitionOptions(NewModelsDirectory()) { NpmExecutable = NoNpm }, Quiet));

        Assert.Contains("install Node.js", error.Message);
        Assert.Contains(FaceApiPackage.Spec, error.Message);
    }

    [SkippableFact]
    public void A_failing_npm_pack_reports_its_output_and_points_at_the_network()
    {
        if (OperatingSystem.IsWindows())
            throw new SkipException("the stand-in npm is a shell script");
        var npm = Path.Combine(NewDirectory(), "npm");
        File.WriteAllText(npm, "#!/bin/sh\necho 'npm error code ENOTFOUND registry.npmjs.org' >&2\nexit 1\n");
        File.SetUnixFileMode(npm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var error = Assert.Throws<ModelAcquisitionException>(() =>
            ModelAcquisition.Run(new ModelAcquisitionOptions(NewModelsDirectory()) { NpmExecutable = npm }, Quiet));

        Assert.Contains("exit code 1", error.Message);
        Assert.Contains("ENOTFOUND", error.Message);
        Assert.Contains("network", error.Message);
    }

    [Fact]
    public void Without_the_pins_file_the_error_names_it()
    {
        var error = Assert.Throws<ModelAcquisitionException>(() =>
            ModelAcquisition.Run(new ModelAcquisitionOptions(NewDirectory()), Quiet));
        Assert.Contains(FaceApiPackage.PinsFileName, error.Message);
    }

    [Fact]
    public void Rewriting_the_teacher_card_keeps_its_measured_operating_points()
    {
        var card = Path.Combine(NewDirectory(), FaceApiModelConverter.TeacherCardFile);
        File.WriteAllText(card, """
            {"id":"old","inputSize":1,"dimension":1,"alignment":"FaceApiCrop",
             "operatingPoints":[{"targetFar":0.001,"cosineThreshold":0.42,"measuredOn":"LFW View 2"}]}
            """);

        FaceApiModelConverter.WriteTeacherCard(card);

        var written = JsonNode.Parse(File.ReadAllText(card))!;
        Assert.Equal(FaceApiModelConverter.TeacherId, (string?)written["id"]);
        Assert.Equal(150, (int)written["inputSize"]!);
        Assert.Equal(128, (int)written["dimension"]!);
        Assert.Equal("SimilarityWarp", (string?)written["alignment"]);
        Assert.Equal(0.42, (double)written["operatingPoints"]![0]!["cosineThreshold"]!);
    }

    private static string RepoPinsFile => Path.Combine(TestPaths.ModelsDir, FaceApiPackage.PinsFileName);

    public void Dispose()
    {
        foreach (var directory in _directories)
            Directory.Delete(directory, recursive: true);
    }

    private string NewDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("facetrain-models-test-").FullName;
        _directories.Add(directory);
        return directory;
    }

    private string NewModelsDirectory()
    {
        var models = NewDirectory();
        File.Copy(RepoPinsFile, Path.Combine(models, FaceApiPackage.PinsFileName));
        return models;
    }

    /// <summary>Copies the pinned files of the repository's verified package into <paramref name="package"/>.</summary>
    private static string CopyPackage(string package)
    {
        foreach (var (path, _) in PinnedHashes.Load(RepoPinsFile).Entries)
        {
            var target = Path.Combine(package, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Requires.FaceApiPackageFile(path), target);
        }
        return package;
    }
}
