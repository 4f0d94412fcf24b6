using System.Collections.Concurrent;

namespace FaceService.Faces.Onnx;

/// <summary>
/// The threads every <see cref="OnnxModelSession"/> inference runs on; callers hand the work over and wait for it.
/// </summary>
/// <remarks>
/// Why not the caller's thread: on CPUs with Intel AMX, ONNX Runtime's int8 kernels leave AMX tile state on the thread
/// that ran them, which adds about 8 KB to every signal frame of that thread. .NET turns a null dereference into a
/// <see cref="NullReferenceException"/> in a signal handler on a small per-thread alternate stack, which that frame
/// no longer fits, and the process dies with SIGSEGV (measured here: one int8 inference, then caught null dereferences
/// on the same thread, killed the process every time; ImageSharp throws one on some damaged JPEG headers).
/// These threads run nothing but inference, so no such fault reaches a thread with AMX state.
/// </remarks>
internal static class InferenceThreads
{
    private static readonly BlockingCollection<Action> Work = Start(Environment.ProcessorCount);

    /// <summary>Runs <paramref name="inference"/> on an inference thread and returns its result or rethrows its exception.</summary>
    public static T Run<T>(Func<T> inference)
    {
        var outcome = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Work.Add(() =>
        {
            try
            {
                outcome.SetResult(inference());
            }
            catch (Exception e)
            {
                outcome.SetException(e);
            }
        });
        return outcome.Task.GetAwaiter().GetResult();
    }

    private static BlockingCollection<Action> Start(int threads)
    {
        var work = new BlockingCollection<Action>();
        for (var i = 0; i < threads; i++)
            new Thread(() =>
            {
                foreach (var item in work.GetConsumingEnumerable())
                    item();
            })
            { IsBackground = true, Name = $"onnx-inference-{i}" }.Start();
        return work;
    }
}
