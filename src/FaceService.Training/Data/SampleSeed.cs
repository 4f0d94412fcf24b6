namespace FaceService.Training.Data;

/// <summary>
/// Deterministic seeds from (run seed, epoch, sample): a sample's augmentation and mirror choice depend on these
/// only, never on thread scheduling or on where a resumed run restarted. (string/HashCode hashing is randomised
/// per process, so it cannot be used here.)
/// </summary>
public static class SampleSeed
{
    public static int For(int runSeed, int epoch, int sample) =>
        (int)(Mix(Mix(Mix((ulong)(uint)runSeed) ^ (ulong)(uint)epoch) ^ (ulong)(uint)sample) >> 33);

    public static int ForEpoch(int runSeed, int epoch) => For(runSeed, epoch, -1);

    /// <summary>SplitMix64's finaliser: a bijective mix with good avalanche.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
