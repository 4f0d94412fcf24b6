using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace FaceService.Gallery.Usearch;

/// <summary>
/// One USearch dense index (float32 vectors, inner product) through the C API that Cloud.Unum.USearch ships
/// (libusearch_c). The package's own C# wrapper cannot reserve capacity ahead of adds (it grows the index one slot per
/// add), cannot add from several threads, and cannot set the search expansion of a loaded index; this class can, and
/// does nothing else. Searches may run concurrently up to the reserved thread count (one per core).
/// </summary>
internal sealed class UsearchNativeIndex : IDisposable
{
    private const string Library = "libusearch_c";

    private IntPtr _index;

    private UsearchNativeIndex(IntPtr index, int dimension)
    {
        _index = index;
        Dimension = dimension;
    }

    public int Dimension { get; }

    public static UsearchNativeIndex Create(int dimension, int connectivity, int expansionAdd, int expansionSearch)
    {
        var options = new IndexOptions
        {
            metric_kind = MetricKind.Ip,
            quantization = ScalarKind.Float32,
            dimensions = (ulong)dimension,
            connectivity = (ulong)connectivity,
            expansion_add = (ulong)expansionAdd,
            expansion_search = (ulong)expansionSearch,
            multi = false,
        };
        var index = new UsearchNativeIndex(Check(usearch_init(ref options, out var error), error), dimension);
        index.Reserve(0);
        return index;
    }

    /// <summary>Loads a saved index into memory; the expansion of search is not saved, so it is set again.</summary>
    public static UsearchNativeIndex Load(string path, int expansionSearch)
    {
        var options = new IndexOptions { metric_kind = MetricKind.Ip, quantization = ScalarKind.Float32 };
        var handle = Check(usearch_init(ref options, out var error), error);
        try
        {
            usearch_load(handle, path, out error);
            Check(error);
            var dimension = (int)Check(usearch_dimensions(handle, out error), error);
            var index = new UsearchNativeIndex(handle, dimension);
            index.Reserve(index.Size);
            if (expansionSearch > 0)
            {
                usearch_change_expansion_search(handle, (nuint)expansionSearch, out error);
                Check(error);
            }
            return index;
        }
        catch
        {
            usearch_free(handle, out _);
            throw;
        }
    }

    public int Size => (int)Check(usearch_size(_index, out var error), error);

    public int Capacity => (int)Check(usearch_capacity(_index, out var error), error);

    /// <summary>Room for <paramref name="capacity"/> vectors, and thread contexts for one add or search per core.</summary>
    public void Reserve(int capacity)
    {
        usearch_reserve(_index, (nuint)capacity, out var error);
        Check(error);
    }

    /// <summary>
    /// Adds one vector; the capacity must have been reserved. Memory-safe beside other adds and searches, but adds must
    /// not overlap one another: concurrent adds can strand a node outside the graph (USearch issue #735).
    /// </summary>
    public unsafe void Add(ulong key, ReadOnlySpan<float> vector)
    {
        CheckLength(vector);
        IntPtr error;
        fixed (float* data = vector)
            usearch_add(_index, key, data, ScalarKind.Float32, out error);
        Check(error);
    }

    /// <summary>The nearest keys, nearest first, with distance = 1 - inner product; returns how many were found.</summary>
    public unsafe int Search(ReadOnlySpan<float> query, Span<ulong> keys, Span<float> distances)
    {
        CheckLength(query);
        fixed (float* data = query)
        fixed (ulong* foundKeys = keys)
        fixed (float* foundDistances = distances)
            return (int)Check(usearch_search(_index, data, ScalarKind.Float32, (nuint)keys.Length, foundKeys, foundDistances, out var error), error);
    }

    /// <summary>Copies the stored vector of <paramref name="key"/>; false when there is none.</summary>
    public unsafe bool TryGet(ulong key, Span<float> vector)
    {
        CheckLength(vector);
        fixed (float* data = vector)
            return Check(usearch_get(_index, key, 1, data, ScalarKind.Float32, out var error), error) > 0;
    }

    public void Remove(ulong key) => Check(usearch_remove(_index, key, out var error), error);

    public void Save(string path)
    {
        usearch_save(_index, path, out var error);
        Check(error);
    }

    public void Dispose()
    {
        if (_index == IntPtr.Zero)
            return;
        usearch_free(_index, out _);
        _index = IntPtr.Zero;
    }

    private void CheckLength(ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimension)
            throw new ArgumentException($"The index holds {Dimension}-D vectors, got {vector.Length} values.", nameof(vector));
    }

    private static T Check<T>(T result, IntPtr error)
    {
        Check(error);
        return result;
    }

    private static void Check(IntPtr error)
    {
        if (error != IntPtr.Zero)
            throw new USearchException($"USearch: {Marshal.PtrToStringAnsi(error)}");
    }

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern IntPtr usearch_init(ref IndexOptions options, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern void usearch_free(IntPtr index, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern void usearch_save(IntPtr index, [MarshalAs(UnmanagedType.LPStr)] string path, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl, CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern void usearch_load(IntPtr index, [MarshalAs(UnmanagedType.LPStr)] string path, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern nuint usearch_size(IntPtr index, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern nuint usearch_capacity(IntPtr index, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern nuint usearch_dimensions(IntPtr index, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern void usearch_reserve(IntPtr index, nuint capacity, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern void usearch_change_expansion_search(IntPtr index, nuint expansion, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern unsafe void usearch_add(IntPtr index, ulong key, float* vector, ScalarKind kind, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern unsafe nuint usearch_search(IntPtr index, float* query, ScalarKind kind, nuint count, ulong* keys, float* distances, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern unsafe nuint usearch_get(IntPtr index, ulong key, nuint count, float* vector, ScalarKind kind, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern nuint usearch_remove(IntPtr index, ulong key, out IntPtr error);
}
