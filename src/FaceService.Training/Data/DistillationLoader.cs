using static TorchSharp.torch;

namespace FaceService.Training.Data;

/// <summary>
/// One training batch: LR-augmented faces for the student (and, in the usual scheme's distillation, the same
/// degradation at the teacher's input size), the cached HR teacher targets of those faces, and identity ids.
/// </summary>
public sealed class DistillationBatch(Tensor studentInput, Tensor? teacherInput, Tensor targets, Tensor identities) : IDisposable
{
    /// <summary>[B, S, S, 3] NHWC 0..255 at the student's input size.</summary>
    public Tensor StudentInput { get; } = studentInput;

    /// <summary>[B, T, T, 3], the same degraded faces at the teacher's input size; null when no teacher runs.</summary>
    public Tensor? TeacherInput { get; } = teacherInput;

    /// <summary>[B, 128]: the teacher's embedding of each HR crop (of its mirror where the sample is mirrored).</summary>
    public Tensor Targets { get; } = targets;

    /// <summary>[B] int64 dense identity ids, −1 where unlabelled.</summary>
    public Tensor Identities { get; } = identities;

    public void Dispose()
    {
        StudentInput.Dispose();
        TeacherInput?.Dispose();
        Targets.Dispose();
        Identities.Dispose();
    }
}

/// <summary>
/// Serves a cache's crops in shuffled batches: mirror half of them (with the mirror's target), degrade each with
/// <see cref="LowResolutionAugmentation"/> seeded by (run seed, epoch, crop), and prepare the next batch on a
/// background task while the current one trains. Every epoch's order and every sample's degradation are
/// functions of the seed, so runs and resumed runs repeat exactly. The last partial batch is dropped: MK-MMD
/// compares whole batches.
/// </summary>
public sealed class DistillationLoader
{
    private readonly CropCache _crops;
    private readonly TeacherTargets _targets;
    private readonly LowResolutionAugmentation _studentView;
    private readonly LowResolutionAugmentation? _teacherView;
    private readonly int _seed;
    private readonly ParallelOptions _parallel;

    public DistillationLoader(CropCache crops, TeacherTargets targets, int sampleCount, LowResolutionAugmentation studentView,
        LowResolutionAugmentation? teacherView, int batchSize, int seed, int threads)
    {
        if (targets.Count != crops.Count)
            throw new InvalidDataException($"The cache has {crops.Count} crops but {targets.Count} teacher targets: re-run targets.");
        if (sampleCount < batchSize || sampleCount > crops.Count)
            throw new ArgumentException($"Need batchSize ({batchSize}) <= samples ({sampleCount}) <= cached crops ({crops.Count}).");
        _crops = crops;
        _targets = targets;
        _studentView = studentView;
        _teacherView = teacherView;
        SampleCount = sampleCount;
        BatchSize = batchSize;
        _seed = seed;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
    }

    public int SampleCount { get; }

    public int BatchSize { get; }

    public int BatchesPerEpoch => SampleCount / BatchSize;

    public IEnumerable<DistillationBatch> Epoch(int epoch)
    {
        var order = Enumerable.Range(0, SampleCount).ToArray();
        new Random(SampleSeed.ForEpoch(_seed, epoch)).Shuffle(order);
        var next = Task.Run(() => Prepare(order.AsSpan(0, BatchSize).ToArray(), epoch));
        for (var b = 0; b < BatchesPerEpoch; b++)
        {
            var ready = next.GetAwaiter().GetResult();
            if (b + 1 < BatchesPerEpoch)
            {
                var indices = order.AsSpan((b + 1) * BatchSize, BatchSize).ToArray();
                next = Task.Run(() => Prepare(indices, epoch));
            }

            yield return ready.ToBatch();
        }
    }

    private PreparedBatch Prepare(int[] indices, int epoch)
    {
        int s = _studentView.OutputSize, t = _teacherView?.OutputSize ?? 0, d = _targets.Dimension;
        var student = new float[indices.Length * s * s * 3];
        var teacher = _teacherView is null ? null : new float[indices.Length * t * t * 3];
        var targets = new float[indices.Length * d];
        var identities = new long[indices.Length];
        Parallel.For(0, indices.Length, _parallel, n =>
        {
            var crop = indices[n];
            var seed = SampleSeed.For(_seed, epoch, crop);
            var mirrored = (SampleSeed.For(~_seed, epoch, crop) & 1) == 1;
            var hr = mirrored ? CropCache.Mirror(_crops.Crop(crop), _crops.CropSize) : _crops.Crop(crop).ToArray();
            _studentView.Apply(hr, _crops.CropSize, _crops.CropSize, seed).Pixels.CopyTo(student, n * s * s * 3);
            // Same seed → same degradation plan, rendered at the teacher's input size.
            _teacherView?.Apply(hr, _crops.CropSize, _crops.CropSize, seed).Pixels.CopyTo(teacher!, n * t * t * 3);
            _targets.Target(crop, mirrored).CopyTo(targets.AsSpan(n * d, d));
            identities[n] = _crops.IdentityIds[crop];
        });
        return new PreparedBatch(indices.Length, s, student, t, teacher, d, targets, identities);
    }

    private sealed record PreparedBatch(int Count, int StudentSize, float[] Student, int TeacherSize, float[]? Teacher, int Dimension, float[] Targets, long[] Identities)
    {
        public DistillationBatch ToBatch() => new(
            tensor(Student, [Count, StudentSize, StudentSize, 3]),
            Teacher is null ? null : tensor(Teacher, [Count, TeacherSize, TeacherSize, 3]),
            tensor(Targets, [Count, Dimension]),
            tensor(Identities));
    }
}
