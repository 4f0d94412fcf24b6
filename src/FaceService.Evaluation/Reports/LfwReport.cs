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

public sealed record LfwTimings(double DetectAlignSeconds, double EmbedSeconds, double ScoreSeconds, double TotalSeconds, int EmbeddingsComputed);

/// <summary>One evaluation run of one embedding model on LFW: everything needed to compare and to reproduce it.</summary>
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
    string Command)
{
    public ProtocolResult? Find(PairProtocol protocol, int? size) =>
        Results.FirstOrDefault(r => r.Size == size && (size is null || r.Protocol == protocol));

    /// <summary>"model / alignment", the legend text when several reports share a plot.</summary>
    public string Label => $"{ModelId} ({Alignment})";
}
