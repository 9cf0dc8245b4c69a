using System;
using System.Globalization;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// Another writer changed the same object between this writer's read and its write, and kept doing so for every
/// attempt: nothing of this change was written.
/// </summary>
public sealed class SmimeStoreConflictException : SmimeStoreException
{
    /// <summary>Creates the exception naming the object (a file or a directory entry) and the attempts made.</summary>
    public SmimeStoreConflictException(string path, int attempts, Exception? innerException = null)
        : base(string.Format(CultureInfo.CurrentCulture, Strings.StoreConflict, path, attempts), path, innerException)
    {
        Attempts = attempts;
    }

    /// <summary>How many times the change was read, applied and refused.</summary>
    public int Attempts { get; }
}
