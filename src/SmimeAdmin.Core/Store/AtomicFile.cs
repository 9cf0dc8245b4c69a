using System;
using System.IO;

namespace SmimeAdmin.Core.Store;

/// <summary>Crash-safe file replacement: a reader sees the old content or the new, never a mix or nothing.</summary>
internal static class AtomicFile
{
    /// <summary>The suffix of the temporary files a write goes through.</summary>
    internal const string TemporarySuffix = ".tmp";

    /// <summary>
    /// Writes <paramref name="content"/> to a temporary file in the same folder, flushes it to disk and renames it
    /// over <paramref name="path"/>. A rename within one folder is atomic on every supported file system.
    /// </summary>
    public static void Write(string path, byte[] content)
    {
        string temporary = path + "." + Guid.NewGuid().ToString("N") + TemporarySuffix;
        try
        {
            // One fsync after the write, not write-through as well: write-through (O_DSYNC) would flush the disk a
            // second time for the same bytes.
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
            {
                stream.Write(content, 0, content.Length);
                stream.Flush(flushToDisk: true);
            }

            if (File.Exists(path))
            {
                File.Replace(temporary, path, destinationBackupFileName: null, ignoreMetadataErrors: true);
            }
            else
            {
                File.Move(temporary, path);
            }
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Deletes temporary files left by writers that were killed mid-write. Call only while holding the folder's
    /// lock, when no live writer can own one.
    /// </summary>
    public static void RemoveLeftovers(string folder)
    {
        foreach (string leftover in Directory.EnumerateFiles(folder, "*" + TemporarySuffix))
        {
            TryDelete(leftover);
        }
    }

    /// <summary>Reads a whole file while letting writers replace it.</summary>
    /// <returns>The bytes, or <see langword="null"/> when the file does not exist.</returns>
    public static byte[]? ReadIfExists(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[stream.Length];
            int read = 0;
            while (read < buffer.Length)
            {
                int count = stream.Read(buffer, read, buffer.Length - read);
                if (count == 0)
                {
                    break;
                }

                read += count;
            }

            if (read != buffer.Length)
            {
                Array.Resize(ref buffer, read);
            }

            return buffer;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover is removed by the next writer that holds the lock.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
