using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// An exclusive OS-level lock on a lock file (flock on Unix, a share-mode lock on Windows). The operating system
/// releases it when the holder exits, however it exits, so a killed process never leaves the store locked.
/// </summary>
internal static class FileLock
{
    private const int MaximumRetryDelayMilliseconds = 50;

    /// <summary>Waits for the lock, up to <paramref name="timeout"/>.</summary>
    /// <returns>The lock; dispose it to release.</returns>
    /// <exception cref="SmimeStoreLockTimeoutException">The lock was not free within the timeout.</exception>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    public static IDisposable Acquire(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Stopwatch waited = Stopwatch.StartNew();
        int delay = 1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException ex) when (IsHeldByAnother(ex))
            {
                if (waited.Elapsed >= timeout)
                {
                    throw new SmimeStoreLockTimeoutException(path, timeout, ex);
                }
            }

            // Jitter keeps two waiting processes from retrying in lockstep.
            Thread.Sleep(delay + (Environment.TickCount & 3));
            delay = Math.Min(delay * 2, MaximumRetryDelayMilliseconds);
        }
    }

    private static bool IsHeldByAnother(IOException ex) =>
        ex is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException;
}
