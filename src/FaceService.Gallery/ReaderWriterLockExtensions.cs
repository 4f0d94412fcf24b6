namespace FaceService.Gallery;

/// <summary>Scoped use of a reader-writer lock: the gallery indexes search in parallel and change alone.</summary>
internal static class ReaderWriterLockExtensions
{
    public static T Read<T>(this ReaderWriterLockSlim gate, Func<T> read)
    {
        gate.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    public static void Write(this ReaderWriterLockSlim gate, Action write)
    {
        gate.EnterWriteLock();
        try
        {
            write();
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }
}
