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

/// <summary>
/// The pairs to score and where they came from; <see cref="FoldsInFile"/> tells a quick run from the full protocol.
/// <see cref="GalleryModelFile"/> names the gallery model's file in a cross-model run, <see cref="LowResolutionModel"/>
/// the expert when the embedder is a resolution-routed pair.
/// </summary>
public sealed record LfwRunInput(
    LfwPairList Pairs, int FoldsInFile, string PairsFile, string ImageRoot, string ModelFile, string Command, string? GalleryModelFile = null,
    bool MirrorAveraging = false, LfwLowResolutionModel? LowResolutionModel = null);

/// <summary>
/// A run's report, and beside it every pair score (one list per report result, pairs in file order) and how each
/// image's face was found: the material for error analysis.
/// </summary>
public sealed record LfwRun(
    LfwReport Report,
    IReadOnlyList<LfwPair> Pairs,
    IReadOnlyList<IReadOnlyList<ScoredPair>> Scores,
    IReadOnlyDictionary<string, string> ImageSources);

/// <summary>Where a run is: <paramref name="Phase"/> is "detect + align" (images) or "embed" (embeddings).</summary>
public readonly record struct LfwProgress(string Phase, int Done, int Total);

/// <summary>
/// Runs LFW View 2 for one embedder: every image is decoded, detected and given landmarks once; each requested
/// alignment is made from those landmarks; each crop is embedded at HR and at every degraded size; then every
/// protocol's pair scores go through the 10-fold protocol. Images stream through in chunks, so only a chunk's crops
/// are in memory at a time. No pair is ever dropped: an image without a face falls back to
/// <see cref="LfwFaceChoice.FallbackRule"/>.
/// <para>
/// Cross-model: with a <paramref name="galleryEmbedder"/>, the first image of every pair is embedded at HR by that
/// model (at its card's input size and alignment, from the same landmarks) and the second by
/// <paramref name="embedder"/>, the probe model: an HR gallery of one model probed by another in its embedding space.
/// LR-LR would compare two probe images, so only HR-LR runs.
/// </para>
/// </summary>
public sealed class LfwEvaluation(
    IFaceAnalyzer analyzer,
    IReadOnlyList<IFaceAligner> aligners,
    IFaceEmbedder embedder,
    Func<string, RgbImage> decode,
    IFaceEmbedder? galleryEmbedder = null)
{
    public const string DetectPhase = "detect + align";
    public const string EmbedPhase = "embed";

    private readonly IFaceEmbedder? _gallery = galleryEmbedder is { } gallery && gallery.Model.Dimension != embedder.Model.Dimension
        ? throw new ArgumentException(
            $"The gallery model {gallery.Model.Id} gives {gallery.Model.Dimension}-D embeddings and the probe model {embedder.Model.Id} " +
            $"{embedder.Model.Dimension}-D: cross-model scores need one embedding space.", nameof(galleryEmbedder))
        : galleryEmbedder;

    public IReadOnlyList<LfwRun> Run(
        LfwRunInput input, LfwEvaluationOptions options, IProgress<LfwProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (_gallery is not null && options.Protocols.Contains(PairProtocol.LrLr))
            throw new ArgumentException("LR-LR compares two probe images, so no gallery model takes part: with a gallery model only HR-LR runs.", nameof(options));
        if (_gallery is not null && input.GalleryModelFile is null)
            throw new ArgumentException("A cross-model run names its gallery model's file.", nameof(input));
        var pairs = input.Pairs;
        var total = Stopwatch.StartNew();
        var size = embedder.Model.InputSize;
        IFaceAligner AlignerFor(AlignmentKind kind) =>
            aligners.FirstOrDefault(a => a.Kind == kind) ?? throw new ArgumentException($"No aligner for {kind}.", nameof(aligners));
        var alignerByKind = options.Alignments.ToDictionary(kind => kind, AlignerFor);
        var galleryAligner = _gallery is null ? null : AlignerFor(_gallery.Model.Alignment);
        var primaryKind = options.Alignments[0];
        var images = pairs.DistinctImages();
        var embeddings = options.Alignments.ToDictionary(kind => kind, _ => new ResolutionEmbeddings(images, options.LowResolutionSizes));
        var galleryEmbeddings = _gallery is null ? null : new ResolutionEmbeddings(images, []);
        var stageCounts = new ConcurrentDictionary<DetectionStage, int>();
        var imageSources = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var meanLandmarks = new LfwFaceChoice.MeanLandmarks();
        var fallbacks = new ConcurrentBag<(int Order, string Image, RgbImage Decoded)>();
        var embedTotal = images.Count * (options.Alignments.Count * (1 + options.LowResolutionSizes.Count) + (_gallery is null ? 0 : 1));
        int detected = 0, embedded = 0;
        var detectTime = new Stopwatch();
        var embedTime = new Stopwatch();

        void EmbedInto(IFaceEmbedder model, IReadOnlyList<ImageCrops> chunk, IReadOnlyList<AlignedFace> faces, ResolutionEmbeddings target, int? lowResolution)
        {
            cancellation.ThrowIfCancellationRequested();
            var vectors = model.Embed(faces);
            for (var i = 0; i < chunk.Count; i++)
            {
                EmbeddingMath.NormalizeInPlace(vectors[i]);
                target.Set(chunk[i].Image, lowResolution, vectors[i]);
            }
            embedded += chunk.Count;
            progress?.Report(new LfwProgress(EmbedPhase, embedded, embedTotal));
        }

        void EmbedChunk(IReadOnlyList<ImageCrops> chunk)
        {
            embedTime.Start();
            foreach (var kind in options.Alignments)
            {
                var hr = chunk.Select(c => c.Probe[kind]).ToList();
                foreach (var lowResolution in new int?[] { null }.Concat(options.LowResolutionSizes.Select(s => (int?)s)))
                    EmbedInto(embedder, chunk, lowResolution is { } s ? hr.Select(face => LowResolution.Degrade(face, s)).ToList() : hr,
                        embeddings[kind], lowResolution);
            }
            if (_gallery is not null)
                EmbedInto(_gallery, chunk, chunk.Select(c => c.Gallery!).ToList(), galleryEmbeddings!, null);
            embedTime.Stop();
        }

        AlignedFace Align(IFaceAligner aligner, RgbImage image, FaceLandmarks landmarks, int alignedSize, string name) =>
            aligner.Align(image, landmarks, alignedSize) ?? throw new InvalidOperationException($"{name}: the {aligner.Kind} crop falls outside the image.");

        // Every crop of an image comes from one set of landmarks; the analyzer's own crop is reused when it has one.
        ImageCrops AlignAll(string name, RgbImage image, FaceLandmarks landmarks, AlignedFace? primaryCrop) => new(
            name,
            alignerByKind.ToDictionary(a => a.Key, a => a.Key == primaryKind && primaryCrop is not null ? primaryCrop : Align(a.Value, image, landmarks, size, name)),
            galleryAligner is null ? null : Align(galleryAligner, image, landmarks, _gallery!.Model.InputSize, name));

        // Pass 1: every image, in chunks; images without a face wait for the mean landmarks.
        for (var start = 0; start < images.Count; start += options.ChunkSize)
        {
            var chunkImages = images.Skip(start).Take(options.ChunkSize).ToList();
            var crops = new ImageCrops?[chunkImages.Count];
            detectTime.Start();
            Parallel.For(0, chunkImages.Count, new ParallelOptions { MaxDegreeOfParallelism = options.DetectionWorkers, CancellationToken = cancellation }, i =>
            {
                var name = chunkImages[i];
                var image = decode(name);
                if (LfwFaceChoice.Central(analyzer.Analyze(image, primaryKind, size), image) is { } face)
                {
                    stageCounts.AddOrUpdate(face.Detection.Stage, 1, (_, n) => n + 1);
                    imageSources[name] = face.Detection.Stage.ToString();
                    meanLandmarks.Add(start + i, face.Landmarks, image);
                    crops[i] = AlignAll(name, image, face.Landmarks, face.Aligned);
                }
                else
                {
                    fallbacks.Add((start + i, name, image));
                    imageSources[name] = FallbackSource;
                }
                progress?.Report(new LfwProgress(DetectPhase, Interlocked.Increment(ref detected), images.Count));
            });
            detectTime.Stop();
            EmbedChunk(crops.OfType<ImageCrops>().ToList());
        }

        // Pass 2: the fallback images, aligned on the mean landmarks of all the others.
        var ordered = fallbacks.OrderBy(f => f.Order).ToList();
        detectTime.Start();
        var fallbackCrops = ordered.Select(f => AlignAll(f.Image, f.Decoded, meanLandmarks.For(f.Decoded), primaryCrop: null)).ToList();
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
        // A pair's first image comes from the gallery model when there is one, its second always from the probe model.
        var results = options.Alignments.ToDictionary(kind => kind, kind => Evaluate(pairs, galleryEmbeddings ?? embeddings[kind], embeddings[kind], options));
        scoreTime.Stop();

        var gallery = _gallery is null ? null
            : new LfwGalleryModel(_gallery.Model.Id, input.GalleryModelFile!, _gallery.Model.InputSize, _gallery.Model.Alignment);
        var timings = new LfwTimings(detectTime.Elapsed.TotalSeconds, embedTime.Elapsed.TotalSeconds, scoreTime.Elapsed.TotalSeconds,
            total.Elapsed.TotalSeconds, embedTotal);
        return options.Alignments.Select(kind => new LfwRun(
            new LfwReport(embedder.Model.Id, input.ModelFile, size, kind, scope, DegradationDescription, AccuracyStdDescription, detection,
                results[kind].Select(r => r.Result).ToList(), timings, DateTime.UtcNow, input.Command, gallery, input.MirrorAveraging,
                input.LowResolutionModel),
            pairs.Pairs, results[kind].Select(r => r.Scores).ToList(), imageSources)).ToList();
    }

    public const string DegradationDescription =
        "aligned crop area-averaged down to s x s (OpenCV INTER_AREA), then bilinear (half-pixel centres) back up to the net's input size";

    /// <summary>The image source of an image that no detector stage found a face in.</summary>
    public const string FallbackSource = "mean-landmarks-fallback";

    public const string AccuracyStdDescription = "population std over folds (ddof = 0, as numpy/insightface)";

    /// <summary>An image's crops: one per probe alignment at the probe model's size, and the gallery model's own.</summary>
    private sealed record ImageCrops(string Image, IReadOnlyDictionary<AlignmentKind, AlignedFace> Probe, AlignedFace? Gallery);

    private static List<(ProtocolResult Result, IReadOnlyList<ScoredPair> Scores)> Evaluate(
        LfwPairList pairs, ResolutionEmbeddings firstImages, ResolutionEmbeddings secondImages, LfwEvaluationOptions options)
    {
        var runs = new List<(PairProtocol, int?)> { (PairProtocol.HrHr, null) };
        foreach (var size in options.LowResolutionSizes)
            runs.AddRange(options.Protocols.Where(p => p != PairProtocol.HrHr).Select(p => (p, (int?)size)));
        return runs.Select(run =>
        {
            var scores = LfwScoring.Score(pairs, firstImages, secondImages, run.Item1, run.Item2);
            return (new ProtocolResult(run.Item1, run.Item2, VerificationResult.Evaluate(scores)), scores);
        }).ToList();
    }
}
