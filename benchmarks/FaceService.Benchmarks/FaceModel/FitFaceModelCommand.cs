using System.Globalization;

namespace FaceService.Benchmarks.FaceModel;

/// <summary>
/// <c>fit-face-model --cache &lt;train-cache&gt; [--out benchmarks/data/face-embedding-model.json]</c>: fits the
/// two-covariance model to the teacher's embeddings of the labelled training crops (never LFW) and prints real against
/// sampled genuine and impostor cosines, the check that the fit is sensible.
/// </summary>
public static class FitFaceModelCommand
{
    public static int Run(string[] args)
    {
        if (RecallCommand.Option(args, "--cache") is not { } cache)
        {
            Console.Error.WriteLine("usage: fit-face-model --cache <train-cache folder> [--out FILE]");
            return 2;
        }
        var output = RecallCommand.Option(args, "--out") ?? FaceEmbeddingModel.DefaultPath;
        var data = LabelledEmbeddings.ReadTrainCache(cache);
        var model = FaceModelFit.Fit(data, $"{Path.GetFileName(Path.GetFullPath(cache).TrimEnd('/'))}: teacher targets of the labelled (CelebA) training crops", DateTimeOffset.UtcNow);
        model.Save(output);

        var p = model.Provenance;
        Console.WriteLine($"fit-face-model: {p.LabelledCrops} labelled crops of {p.Identities} identities; within-identity scatter from " +
                          $"{p.WithinIdentityCrops} crops of {p.WithinIdentityIdentities} identities with >= 2; mirror-to-original cosine {p.MirrorCosineMean:F3} (mirrors excluded)");
        var (between, within) = (model.BetweenIdentity, model.WithinIdentity);
        Console.WriteLine(Invariant($"|mu|^2 {model.Mean.Sum(v => v * v):F3}, tr Sigma_b {between.Trace:F3} (effective dimension {between.EffectiveDimension:F1}), tr Sigma_w {within.Trace:F3} (effective dimension {within.EffectiveDimension:F1})"));
        Console.WriteLine("| pairs | real mean | real std | model mean | model std |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine(Invariant($"| same identity (genuine) | {p.RealGenuine.Mean:F3} | {p.RealGenuine.Std:F3} | {p.ModelGenuine.Mean:F3} | {p.ModelGenuine.Std:F3} |"));
        Console.WriteLine(Invariant($"| different identities (impostor) | {p.RealImpostor.Mean:F3} | {p.RealImpostor.Std:F3} | {p.ModelImpostor.Mean:F3} | {p.ModelImpostor.Std:F3} |"));
        Console.WriteLine($"fit-face-model: wrote {output}");
        return 0;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
