using FaceService.Faces.Alignment;
using FaceService.Training.Cli;

namespace FaceService.Training.Data;

/// <summary>
/// The teacher's embeddings of every cached HR crop and of its mirror image, computed once by <c>targets</c>.
/// In the improved scheme the teacher never runs again: every epoch reads these. <c>targets.bin</c> is a
/// 16-byte header (magic, count, dimension) and then, per crop, the HR embedding followed by the mirror's.
/// </summary>
public sealed class TeacherTargets
{
    public const string FileName = "targets.bin";
    private static readonly byte[] Magic = "FSTARGT1"u8.ToArray();

    private readonly float[] _values;

    private TeacherTargets(int count, int dimension, float[] values)
    {
        Count = count;
        Dimension = dimension;
        _values = values;
    }

    public int Count { get; }

    public int Dimension { get; }

    public ReadOnlySpan<float> Target(int index, bool mirrored) =>
        _values.AsSpan((2 * index + (mirrored ? 1 : 0)) * Dimension, Dimension);

    /// <summary>The mean target over the first <paramref name="count"/> crops and their mirrors.</summary>
    public float[] Mean(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        var sum = new double[Dimension];
        for (var i = 0; i < 2 * count * Dimension; i++)
            sum[i % Dimension] += _values[i];
        return sum.Select(v => (float)(v / (2 * count))).ToArray();
    }

    /// <summary>
    /// Each identity's mean target over its crops (of the first <paramref name="count"/>) and their mirrors, row-major
    /// [<paramref name="identityCount"/> × dimension]; minus <see cref="Mean"/> when <paramref name="centred"/>. Crops
    /// with identity −1 are unlabelled and skipped; an identity without crops keeps a zero row.
    /// </summary>
    public float[] IdentityMeans(IReadOnlyList<int> identityIds, int identityCount, int count, bool centred)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Math.Min(Count, identityIds.Count));
        var sums = new double[identityCount * Dimension];
        var counts = new int[identityCount];
        for (var crop = 0; crop < count; crop++)
        {
            var identity = identityIds[crop];
            if (identity < 0)
                continue;
            counts[identity] += 2;
            for (var i = 0; i < 2 * Dimension; i++)
                sums[identity * Dimension + i % Dimension] += _values[2 * crop * Dimension + i];
        }

        var mean = centred ? Mean(count) : new float[Dimension];
        var means = new float[sums.Length];
        for (var identity = 0; identity < identityCount; identity++)
            for (var d = 0; d < Dimension && counts[identity] > 0; d++)
                means[identity * Dimension + d] = (float)(sums[identity * Dimension + d] / counts[identity] - mean[d]);
        return means;
    }

    public static string PathIn(string cacheDirectory) => Path.Combine(cacheDirectory, FileName);

    public static TeacherTargets Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No teacher targets at {Path.GetFullPath(path)}: run `facetrain targets` first.", path);
        using var reader = new BinaryReader(File.OpenRead(path));
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            throw new InvalidDataException($"{path} is not a teacher-target file.");
        var count = reader.ReadInt32();
        var dimension = reader.ReadInt32();
        var values = new float[checked(count * 2 * dimension)];
        var bytes = reader.ReadBytes(values.Length * sizeof(float));
        if (bytes.Length != values.Length * sizeof(float))
            throw new InvalidDataException($"{path} is truncated: re-run targets.");
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return new TeacherTargets(count, dimension, values);
    }

    /// <summary>
    /// Runs the teacher (its raw, un-normalised output: the space the student learns) on every crop and on its
    /// mirror, in batches of <paramref name="batchSize"/> crops.
    /// </summary>
    public static (List<float[]> HighResolution, List<float[]> Mirrored) Compute(CropCache crops,
        Func<IReadOnlyList<AlignedFace>, float[][]> embedRaw, int batchSize, IStepProgress progress)
    {
        var highResolution = new List<float[]>(crops.Count);
        var mirrored = new List<float[]>(crops.Count);
        for (var start = 0; start < crops.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, crops.Count - start);
            var faces = new List<AlignedFace>(2 * count);
            for (var i = start; i < start + count; i++)
                faces.Add(ToFace(crops.Crop(i), crops.CropSize));
            for (var i = start; i < start + count; i++)
                faces.Add(ToFace(CropCache.Mirror(crops.Crop(i), crops.CropSize), crops.CropSize));
            var embeddings = embedRaw(faces);
            highResolution.AddRange(embeddings.Take(count));
            mirrored.AddRange(embeddings.Skip(count));
            progress.Advance(count);
        }

        return (highResolution, mirrored);
    }

    private static AlignedFace ToFace(ReadOnlySpan<byte> rgb, int size)
    {
        var pixels = new float[rgb.Length];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = rgb[i];
        return new AlignedFace(size, size, pixels);
    }

    /// <summary>Writes <paramref name="highResolution"/>[i] and <paramref name="mirrored"/>[i] for every crop i.</summary>
    public static void Save(string path, IReadOnlyList<float[]> highResolution, IReadOnlyList<float[]> mirrored)
    {
        if (highResolution.Count != mirrored.Count || highResolution.Count == 0)
            throw new ArgumentException("Need one HR and one mirror embedding per crop.");
        var dimension = highResolution[0].Length;
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(Magic);
        writer.Write(highResolution.Count);
        writer.Write(dimension);
        for (var i = 0; i < highResolution.Count; i++)
        {
            if (highResolution[i].Length != dimension || mirrored[i].Length != dimension)
                throw new ArgumentException($"Embedding {i} does not have {dimension} values.");
            foreach (var v in highResolution[i]) writer.Write(v);
            foreach (var v in mirrored[i]) writer.Write(v);
        }
    }
}
