using FaceService.Faces;
using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;
using FaceService.Training.Cli;
using FaceService.Training.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace FaceService.Training.Tests;

public sealed class TrainingDataTests : IDisposable
{
    private const int CropSize = 24;
    private readonly string _root = Directory.CreateTempSubdirectory("facetrain-data-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Prepare_caches_one_crop_per_face_with_labels_and_reports_the_rest()
    {
        var folder = Path.Combine(_root, "photos");
        Directory.CreateDirectory(Path.Combine(folder, "images"));
        WritePhoto(Path.Combine(folder, "images", "a.png"), shade: 200);
        WritePhoto(Path.Combine(folder, "images", "b.png"), shade: 0); // the fake analyzer finds no face on black
        WritePhoto(Path.Combine(folder, "images", "c.png"), shade: 100);
        File.WriteAllBytes(Path.Combine(folder, "images", "d.jpg"), [1, 2, 3]);
        File.WriteAllLines(Path.Combine(folder, "labels.tsv"), ["a.png\t7", "c.png\t9"]);
        var images = TrainingImageFolder.Scan(folder);
        var cacheDir = Path.Combine(_root, "cache");

        PreparationReport report;
        using (var writer = CropCacheWriter.Create(cacheDir, CropSize))
            report = CropPreparation.Run(images, new ShadeAnalyzer(), new ImageDecodeOptions(), writer, threads: 2, new NoProgress());

        Assert.Equal(4, report.Images);
        Assert.Equal(2, report.Cached);
        Assert.Equal(new Dictionary<string, int> { ["no face found"] = 1, ["unreadable"] = 1 }, report.SkippedByReason);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(cacheDir, CropCacheWriter.SkippedFileName)).Length);
        using var cache = CropCache.Open(cacheDir);
        Assert.Equal(CropSize, cache.CropSize);
        Assert.Equal(["7", "9"], cache.Entries.Select(e => e.Identity));
        Assert.Equal([0, 1], cache.IdentityIds);
        Assert.All(cache.Crop(0).ToArray(), b => Assert.Equal(200, b));
        Assert.All(cache.Crop(1).ToArray(), b => Assert.Equal(100, b));
    }

    [Fact]
    public void An_interrupted_cache_resumes_from_its_complete_crops()
    {
        var cacheDir = Path.Combine(_root, "cache");
        var crop = Enumerable.Repeat((byte)9, CropSize * CropSize * 3).ToArray();
        using (var writer = CropCacheWriter.Create(cacheDir, CropSize))
        {
            writer.Add(crop, new CropEntry("a.jpg", "1", 0.9));
            writer.Skip("b.jpg", "no face found");
            writer.Add(crop, new CropEntry("c.jpg", null, 0.8));
        }

        // A kill mid-write: half a crop and half an index line.
        using (var crops = new FileStream(Path.Combine(cacheDir, CropCache.CropsFileName), FileMode.Append))
            crops.Write(crop.AsSpan(0, 100));
        File.AppendAllText(Path.Combine(cacheDir, CropCache.IndexFileName), "2\t0.7\td.j");

        using (var resumed = CropCacheWriter.Resume(cacheDir, CropSize))
        {
            Assert.Equal(2, resumed.Count);
            Assert.Equal(1, resumed.SkippedCount);
            Assert.Equal(["a.jpg", "b.jpg", "c.jpg"], resumed.Done.Order());
            resumed.Add(crop, new CropEntry("d.jpg", "2", 0.7));
        }

        using var cache = CropCache.Open(cacheDir);
        Assert.Equal(["a.jpg", "c.jpg", "d.jpg"], cache.Entries.Select(e => e.Source));
        Assert.Equal(9, cache.Crop(2)[0]);
    }

    [Fact]
    public void Loader_batches_are_deterministic_per_seed_and_use_mirror_targets()
    {
        var cacheDir = Path.Combine(_root, "cache");
        using (var writer = CropCacheWriter.Create(cacheDir, CropSize))
            for (var i = 0; i < 8; i++)
                writer.Add(Enumerable.Range(0, CropSize * CropSize * 3).Select(v => (byte)((v * 7 + i * 31) % 256)).ToArray(),
                    new CropEntry($"photo{i}.jpg", i % 2 == 0 ? $"id{i % 4}" : null, 0.9));
        // Target i: HR = all i, mirror = all −i, so a batch's targets reveal which crops came mirrored.
        TeacherTargets.Save(TeacherTargets.PathIn(cacheDir),
            Enumerable.Range(0, 8).Select(i => Enumerable.Repeat((float)i + 1, 4).ToArray()).ToList(),
            Enumerable.Range(0, 8).Select(i => Enumerable.Repeat(-(float)i - 1, 4).ToArray()).ToList());
        using var cache = CropCache.Open(cacheDir);
        var targets = TeacherTargets.Load(TeacherTargets.PathIn(cacheDir));
        var augmentation = new LowResolutionAugmentation(new LowResolutionAugmentationOptions(), outputSize: 16);

        float[][] EpochInputs(int seed, int epoch) =>
            new DistillationLoader(cache, targets, 8, augmentation, null, batchSize: 4, seed, threads: 2)
                .Epoch(epoch).Select(b => b.StudentInput.data<float>().ToArray()).ToArray();

        Assert.Equal(EpochInputs(1, 0), EpochInputs(1, 0));
        Assert.NotEqual(EpochInputs(1, 0), EpochInputs(2, 0));
        Assert.NotEqual(EpochInputs(1, 0), EpochInputs(1, 1));

        var loader = new DistillationLoader(cache, targets, 8, augmentation, null, batchSize: 4, seed: 1, threads: 1);
        var firstValues = loader.Epoch(0).SelectMany(b => Enumerable.Range(0, 4).Select(n => b.Targets[n, 0].item<float>())).ToList();
        Assert.Equal(Enumerable.Range(1, 8), firstValues.Select(v => (int)Math.Abs(v)).Order());
        Assert.Contains(firstValues, v => v < 0);
        Assert.Contains(firstValues, v => v > 0);
    }

    private static void WritePhoto(string path, byte shade)
    {
        using var image = new Image<Rgb24>(40, 30, new Rgb24(shade, shade, shade));
        image.SaveAsPng(path);
    }

    /// <summary>Finds one face in any photo that is not black; its "aligned crop" is the photo's shade.</summary>
    private sealed class ShadeAnalyzer : IFaceAnalyzer
    {
        public IReadOnlyList<AnalyzedFace> Analyze(RgbImage image, AlignmentKind alignment, int alignedSize)
        {
            var shade = image.Pixels[0];
            if (shade == 0)
                return [];
            var crop = new AlignedFace(alignedSize, alignedSize, Enumerable.Repeat((float)shade, alignedSize * alignedSize * 3).ToArray());
            var detection = new DetectedFace(new FaceBox(0, 0, image.Width, image.Height), 0.9);
            return [new AnalyzedFace(detection, new FaceLandmarks([]), new FaceQuality(image.Width, image.Height, 10, 0.9), crop)];
        }
    }
}

public sealed class TeacherTargetsTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Targets_round_trip_and_average_over_crops_and_mirrors()
    {
        TeacherTargets.Save(_path, [[1f, 2f], [3f, 4f], [100f, 100f]], [[5f, 6f], [7f, 8f], [100f, 100f]]);

        var targets = TeacherTargets.Load(_path);

        Assert.Equal(3, targets.Count);
        Assert.Equal([7f, 8f], targets.Target(1, mirrored: true).ToArray());
        Assert.Equal([4f, 5f], targets.Mean(2));
    }

    [Fact]
    public void Identity_means_average_each_identitys_crops_and_mirrors_and_skip_the_unlabelled()
    {
        TeacherTargets.Save(_path, [[1f, 2f], [3f, 4f], [10f, 20f], [100f, 100f]], [[5f, 6f], [7f, 8f], [30f, 40f], [100f, 100f]]);
        var targets = TeacherTargets.Load(_path);
        int[] identities = [1, -1, 1, 0];

        var raw = targets.IdentityMeans(identities, identityCount: 2, count: 3, centred: false);
        var centred = targets.IdentityMeans(identities, identityCount: 2, count: 3, centred: true);

        // Identity 0's only crop lies beyond the first 3, so its row stays zero.
        Assert.Equal([0f, 0f, 11.5f, 17f], raw);
        var mean = targets.Mean(3);
        Assert.Equal([0f, 0f, 11.5f - mean[0], 17f - mean[1]], centred);
    }
}
