using System.Diagnostics;
using FaceService.Faces;
using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;
using FaceService.Training.Cli;

namespace FaceService.Training.Data;

/// <summary>What one prepare run did: photos analysed, crops cached and photos skipped per reason.</summary>
public sealed record PreparationReport(int Images, int Cached, IReadOnlyDictionary<string, int> SkippedByReason, TimeSpan Elapsed);

/// <summary>
/// The data step: every training photo is decoded, its best face detected, landmarked and aligned once with the
/// teacher's alignment (similarity warp), and the HR crop is cached as 8-bit RGB. Photos that cannot be decoded
/// or show no face are reported (skipped.tsv) and skipped. Photos are analysed in parallel but cached in input order,
/// and the cache is flushed after every chunk so that an interrupted run can resume.
/// </summary>
public static class CropPreparation
{
    public static PreparationReport Run(IReadOnlyList<TrainingImage> images, IFaceAnalyzer analyzer, ImageDecodeOptions decode,
        CropCacheWriter writer, int threads, IStepProgress progress)
    {
        var clock = Stopwatch.StartNew();
        var skipped = new Dictionary<string, int>();
        var cachedBefore = writer.Count;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
        var chunk = 16 * parallel.MaxDegreeOfParallelism;
        var results = new Outcome[chunk];
        for (var start = 0; start < images.Count; start += chunk)
        {
            var count = Math.Min(chunk, images.Count - start);
            Parallel.For(0, count, parallel, i =>
            {
                results[i] = Analyze(images[start + i], analyzer, decode, writer.CropSize);
                progress.Advance();
            });
            for (var i = 0; i < count; i++)
            {
                var image = images[start + i];
                if (results[i].Crop is { } crop)
                    writer.Add(crop, new CropEntry(image.Path, image.Identity, results[i].Score));
                else
                {
                    writer.Skip(image.Path, results[i].Reason!);
                    var kind = results[i].Reason!.Split(':')[0];
                    skipped[kind] = skipped.GetValueOrDefault(kind) + 1;
                }
            }

            writer.Flush();
        }

        return new PreparationReport(images.Count, writer.Count - cachedBefore, skipped, clock.Elapsed);
    }

    private static Outcome Analyze(TrainingImage image, IFaceAnalyzer analyzer, ImageDecodeOptions decode, int size)
    {
        RgbImage rgb;
        try
        {
            rgb = ImageDecoder.Decode(File.ReadAllBytes(image.Path), decode);
        }
        catch (ImageDecodeException e)
        {
            return new Outcome(null, 0, $"unreadable: {e.Message}");
        }

        var faces = analyzer.Analyze(rgb, AlignmentKind.SimilarityWarp, size);
        if (faces.Count == 0)
            return new Outcome(null, 0, "no face found");
        // Best score first (IFaceAnalyzer's contract): a training crop shows one person.
        var best = faces[0];
        return new Outcome(ToBytes(best.Aligned), best.Detection.Score, null);
    }

    private static byte[] ToBytes(AlignedFace face)
    {
        var bytes = new byte[face.Pixels.Length];
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)Math.Clamp(MathF.Round(face.Pixels[i]), 0f, 255f);
        return bytes;
    }

    private readonly record struct Outcome(byte[]? Crop, double Score, string? Reason);
}
