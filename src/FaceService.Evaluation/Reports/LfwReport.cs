using FaceService.Evaluation.Verification;
using FaceService.Faces.Alignment;

namespace FaceService.Evaluation.Reports;

/// <summary>Which images of a pair are degraded.</summary>
public enum PairProtocol
{
    /// <summary>Both images at full resolution: the HR row of the table.</summary>
    HrHr,

    /// <summary>Both images degraded.</summary>
    LrLr,

    /// <summary>The first image stays HR, the second is degraded: an HR gallery probed at LR.</summary>
    HrLr,
}

/// <summary>The protocol's numbers for one protocol at one resolution; <see cref="Size"/> is null at HR.</summary>
public sealed record ProtocolResult(PairProtocol Protocol, int? Size, VerificationResult Verification)
{
    public string ResolutionLabel => Size is { } s ? $"{s}px" : "HR";
}

/// <summary>What was evaluated: the whole View-2 protocol, or only some of its folds (a quick run, not comparable).</summary>
public sealed record LfwScope(int FoldsUsed, int FoldsInFile, int Pairs, int Images, string PairsFile, string ImageRoot)
{
    public bool IsFullProtocol => FoldsUsed == FoldsInFile;

    public string Description => IsFullProtocol
        ? $"LFW View 2, all {FoldsInFile} folds, {Pairs} pairs"
        : $"QUICK RUN, NOT THE FULL PROTOCOL: {FoldsUsed} of {FoldsInFile} folds, {Pairs} pairs";
}

/// <summary>How the faces were found: images per detector-cascade stage, and those that needed the fallback.</summary>
public sealed record DetectionSummary(
    IReadOnlyDictionary<string, int> ImagesPerStage,
    int FallbackImages,
    string FallbackRule,
    IReadOnlyList<string> FallbackImageNames);

/// <summary>
/// The model that embedded the first image of every pair, at HR, in a cross-model run: an HR gallery embedded by one
/// model (typically the teacher) and probed by another (<see cref="LfwReport.ModelId"/>, typically the student).
/// </summary>
public sealed record LfwGalleryModel(string ModelId, string ModelFile, int InputSize, AlignmentKind Alignment);

/// <summary>
/// The low-resolution expert of a resolution-routed run: faces of fewer than <see cref="BelowPixels"/> source pixels
/// (the degraded sizes below it) were embedded by this model, the rest by the general one of
/// <see cref="LfwReport.ModelFile"/>; <see cref="LfwReport.ModelId"/> is the pair's id.
/// </summary>
public sealed record LfwLowResolutionModel(string ModelId, string ModelFile, int BelowPixels);

public sealed record LfwTimings(double DetectAlignSeconds, double EmbedSeconds, double ScoreSeconds, double TotalSeconds, int EmbeddingsComputed);

/// <summary>
/// One evaluation run of one embedding model on LFW: everything needed to compare and to reproduce it. With a
/// <see cref="Gallery"/> model, the first image of every pair is that model's HR embedding and the second this
/// model's (the probe's), so only HR-HR and HR-LR results exist. With a <see cref="LowResolutionModel"/>, this model
/// is a resolution-routed pair.
/// </summary>
public sealed record LfwReport(
    string ModelId,
    string ModelFile,
    int InputSize,
    AlignmentKind Alignment,
    LfwScope Scope,
    string Degradation,
    string AccuracyStd,
    DetectionSummary Detection,
    IReadOnlyList<ProtocolResult> Results,
    LfwTimings Timings,
    DateTime CreatedUtc,
    string Command,
    LfwGalleryModel? Gallery = null,
    bool MirrorAveraging = false,
    LfwLowResolutionModel? LowResolutionModel = null)
{
    public ProtocolResult? Find(PairProtocol protocol, int? size) =>
        Results.FirstOrDefault(r => r.Size == size && (size is null || r.Protocol == protocol));

    /// <summary>The model, or for a cross-model run which model embedded which side.</summary>
    public string Models => Gallery is null ? ModelId : $"gallery: {Gallery.ModelId} at HR; probes: {ModelId}";

    /// <summary>"models (alignment)", the legend text when several reports share a plot.</summary>
    public string Label => $"{Models} ({Alignment})";

    /// <summary>A protocol's name in tables and plots; a cross-model run names the model on each side, e.g. "HR(teacher)-LR(student)".</summary>
    public string ProtocolLabel(PairProtocol protocol) => (protocol, Gallery) switch
    {
        (PairProtocol.HrHr, null) => "HR",
        (PairProtocol.HrHr, { } gallery) => $"HR({gallery.ModelId})-HR({ModelId})",
        (PairProtocol.LrLr, _) => "LR-LR",
        (PairProtocol.HrLr, null) => "HR-LR",
        (PairProtocol.HrLr, { } gallery) => $"HR({gallery.ModelId})-LR({ModelId})",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };
}
