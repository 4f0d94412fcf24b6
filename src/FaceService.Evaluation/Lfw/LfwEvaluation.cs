using System.Collections.Concurrent;
using System.Diagnostics;
using FaceService.Embeddings;
using FaceService.Evaluation.Degradation;
using FaceService.Evaluation.Reports;
using FaceService.Evaluation.Verification;
using FaceService.Faces;
using FaceService.Faces.Alignment;
using FaceService.Faces.Detection;
using FaceService.Faces.Imaging;

namespace FaceService.Evaluation.Lfw;

/// <summary>What to evaluate. HR is always evaluated; <see cref="LowResolutionSizes"/> may be empty.</summary>
public sealed record LfwEvaluationOptions(
    IReadOnlyList<AlignmentKind> Alignments,
    IReadOnlyList<int> LowResolutionSizes,
    IReadOnlyList<PairProtocol> Protocols,
    int ChunkSize = 64,
    int DetectionWorkers = 2);

/// <summary>The pairs to score and where they came from; <see cref="FoldsInFile"/> tells a quick run from the full protocol.</summary>
public sealed record LfwRunInput(LfwPairList Pairs, int FoldsInFile, string PairsFile, string ImageRoot, string ModelFile, string Command);

/// <summary>Where a run is: <paramref name="Phase"/> is "detect + align" (images) or "embed" (embeddings).</summary>
public readonly record struct LfwProgress(string Phase, int Done, int Total);

/// <summary>
/// Runs LFW View 2 for one embedder: every image is decoded, detected and given landmarks once; each requested
/// alignment is made from those landmarks; each crop is embedded at HR and at every degraded size; then every
/// protocol's pair scores go through the 10-fold protocol. Images stream through in chunks, so only a chunk's crops
/// are in memory at a time. No pair is ever dropped: an image without a face falls back to
/// <see cref="LfwFaceChoice.FallbackRule"/>.
/// </summary>
public sealed class LfwEvaluation(
    IFaceAnalyzer analyzer,
    IReadOnlyList<IFaceAligner> aligners,
    IFaceEmbedder embedder,
    Func<string, RgbImage> decode)
{
    public const string DetectPhase = "detect + align";
    public const string EmbedPhase = "embed";

    public IReadOnlyList<LfwReport> Run(
        LfwRunInput input, LfwEvaluationOptions options, IProgress<LfwProgress>? progress = null, CancellationToken cancellation = default)
    {
        var pairs = input.Pairs;
        var total = Stopwatch.StartNew();
        var size = embedder.Model.InputSize;
        var alignerByKind = options.Alignments.ToDictionary(kind => kind, kind =>
            aligners.FirstOrDefault(a => a.Kind == kind) ?? throw new ArgumentException($"No aligner for {kind}.", nameof(aligners)));
        var images = pairs.DistinctImages();
        var embeddings = options.Alignments.ToDictionary(kind => kind, _ => new ResolutionEmbeddings(images, options.LowResolutionSizes));
        var stageCounts = new ConcurrentDictionary<DetectionStage, int>();
        var meanLandmarks = new LfwFaceChoice.MeanLandmarks();
        var fallbacks = new ConcurrentBag<(int Order, string Image, RgbImage Decoded)>();
        var embedTotal = images.Count * options.Alignments.Count * (1 + options.LowResolutionSizes.Count);
        int detected = 0, embedded = 0;
        var detectTime = new Stopwatch();
        var embedTime = new Stopwatch();

        void EmbedChunk(IReadOnlyList<(string Image, IReadOnlyDictionary<AlignmentKind, AlignedFace> Crops)> chunk)
        {
            embedTime.Start();
            foreach (var kind in options.Alignments)
            {
                var hr = chunk.Select(c => c.Crops[kind]).ToList();
                foreach (var lowResolution in new int?[] { null }.Concat(options.LowResolutionSizes.Select(s => (int?)s)))
                {
                    cancellation.ThrowIfCancellationRequested();
                    var faces = lowResolution is { } s ? hr.Select(face => LowResolution.Degrade(face, s)).ToList() : hr;
                    var vectors = embedder.Embed(faces);
                    for (var i = 0; i < chunk.Count; i++)
                    {
                        EmbeddingMath.NormalizeInPlace(vectors[i]);
                        embeddings[kind].Set(chunk[i].Image, lowResolution, vectors[i]);
                    }
                    embedded += chunk.Count;
                    progress?.Report(new LfwProgress(EmbedPhase, embedded, embedTotal));
                }
            }
            embedTime.Stop();
        }

        IReadOnlyDictionary<AlignmentKind, AlignedFace> AlignAll(RgbImage image, FaceLandmarks landmarks, string name) =>
            alignerByKind.ToDictionary(a => a.Key, a => a.Value.Align(image, landmarks, size)
                ?? throw new InvalidOperationException($"{name}: the {a.Key} crop falls outside the image."));

        // Pass 1: every image, in chunks; images without a face wait for the mean landmarks.
        var primaryKind = options.Alignments[0];
        for (var start = 0; start < images.Count; start += options.ChunkSize)
        {
            var chunkImages = images.Skip(start).Take(options.ChunkSize).ToList();
            var crops = new (string, IReadOnlyDictionary<AlignmentKind, AlignedFace>)?[chunkImages.Count];
            detectTime.Start();
            Parallel.For(0, chunkImages.Count, new ParallelOptions { MaxDegreeOfParallelism = options.DetectionWorkers, CancellationToken = cancellation }, i =>
            {
                var name = chunkImages[i];
                var image = decode(name);
                if (LfwFaceChoice.Central(analyzer.Analyze(image, primaryKind, size), image) is { } face)
                {
                    stageCounts.AddOrUpdate(face.Detection.Stage, 1, (_, n) => n + 1);
                    meanLandmarks.Add(face.Landmarks, image);
                    var all = alignerByKind.ToDictionary(a => a.Key, a => a.Key == primaryKind
                        ? face.Aligned
                        : a.Value.Align(image, face.Landmarks, size) ?? throw new InvalidOperationException($"{name}: the {a.Key} crop falls outside the image."));
                    crops[i] = (name, all);
                }
                else
                    fallbacks.Add((start + i, name, image));
                progress?.Report(new LfwProgress(DetectPhase, Interlocked.Increment(ref detected), images.Count));
            });
            detectTime.Stop();
            EmbedChunk(crops.OfType<(string, IReadOnlyDictionary<AlignmentKind, AlignedFace>)>().ToList());
        }

        // Pass 2: the fallback images, aligned on the mean landmarks of all the others.
        var ordered = fallbacks.OrderBy(f => f.Order).ToList();
        detectTime.Start();
        var fallbackCrops = ordered.Select(f => (f.Image, AlignAll(f.Decoded, meanLandmarks.For(f.Decoded), f.Image))).ToList();
        detectTime.Stop();
        for (var start = 0; start < fallbackCrops.Count; start += options.ChunkSize)
            EmbedChunk(fallbackCrops.Skip(start).Take(options.ChunkSize).ToList());

        var scoreTime = Stopwatch.StartNew();
        var detection = new DetectionSummary(
            // In cascade order: full-image passes before centre-box ones, larger inputs and higher thresholds first.
            stageCounts.OrderBy(kv => kv.Key.CentreBoxOnly).ThenByDescending(kv => kv.Key.InputSize).ThenByDescending(kv => kv.Key.ScoreThreshold)
                .ToDictionary(kv => kv.Key.ToString(), kv => kv.Value),
            ordered.Count, LfwFaceChoice.FallbackRule, ordered.Select(f => f.Image).ToList());
        var scope = new LfwScope(pairs.FoldCount, input.FoldsInFile, pairs.Pairs.Count, images.Count, input.PairsFile, input.ImageRoot);
        var results = options.Alignments.ToDictionary(kind => kind, kind => Evaluate(pairs, embeddings[kind], options));
        scoreTime.Stop();

        var timings = new LfwTimings(detectTime.Elapsed.TotalSeconds, embedTime.Elapsed.TotalSeconds, scoreTime.Elapsed.TotalSeconds,
            total.Elapsed.TotalSeconds, embedTotal);
        return options.Alignments.Select(kind => new LfwReport(
            embedder.Model.Id, input.ModelFile, size, kind, scope, DegradationDescription, AccuracyStdDescription, detection,
            results[kind], timings, DateTime.UtcNow, input.Command)).ToList();
    }

    public const string DegradationDescription =
        "aligned crop area-averaged down to s x s (OpenCV INTER_AREA), then bilinear (half-pixel centres) back up to the net's input size";

    public const string AccuracyStdDescription = "population std over folds (ddof = 0, as numpy/insightface)";

    private static List<ProtocolResult> Evaluate(LfwPairList pairs, ResolutionEmbeddings embeddings, LfwEvaluationOptions options)
    {
        var results = new List<ProtocolResult>
        {
            new(PairProtocol.HrHr, null, VerificationResult.Evaluate(LfwScoring.Score(pairs, embeddings, PairProtocol.HrHr, null))),
        };
        foreach (var size in options.LowResolutionSizes)
            foreach (var protocol in options.Protocols.Where(p => p != PairProtocol.HrHr))
                results.Add(new ProtocolResult(protocol, size, VerificationResult.Evaluate(LfwScoring.Score(pairs, embeddings, protocol, size))));
        return results;
    }
}
