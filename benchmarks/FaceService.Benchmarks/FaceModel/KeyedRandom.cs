namespace FaceService.Benchmarks.FaceModel;

/// <summary>
/// SplitMix64 random numbers keyed by (seed, stream, index): face i's draws depend on nothing but its key, so a
/// million faces can be generated in parallel and any one of them (a probe's identity centre) regenerated alone.
/// </summary>
public struct KeyedRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15;
    private ulong _state;
    private double _spare;
    private bool _hasSpare;

    public KeyedRandom(int seed, ulong stream, long index)
    {
        _state = Mix(Mix((ulong)(uint)seed + Golden) ^ Mix(stream * Golden + 1) ^ Mix((ulong)index * 0xD1B54A32D192ED03 + 2));
        _spare = 0;
        _hasSpare = false;
    }

    public ulong NextUInt64() => Mix(_state += Golden);

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal, by the Box–Muller transform (two per pair of uniforms).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        var radius = Math.Sqrt(-2 * Math.Log(1 - NextDouble()));
        var (sin, cos) = Math.SinCos(2 * Math.PI * NextDouble());
        _spare = radius * sin;
        _hasSpare = true;
        return radius * cos;
    }

    public Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, NextUInt64());
        BitConverter.TryWriteBytes(bytes[8..], NextUInt64());
        return new Guid(bytes);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
