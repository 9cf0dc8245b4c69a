using System;
using System.Globalization;

namespace SmimeAdmin.Core.Store;

/// <summary>A file of the store is not in the documented format; it is left untouched.</summary>
public sealed class SmimeStoreCorruptException : SmimeStoreException
{
    /// <summary>Creates the exception naming the file and what is wrong with it.</summary>
    public SmimeStoreCorruptException(string path, string problem, Exception? innerException = null)
        : base(string.Format(CultureInfo.CurrentCulture, Strings.StoreFileCorrupt, path, problem), path, innerException)
    {
        Problem = problem;
    }

    /// <summary>What is wrong with the file.</summary>
    public string Problem { get; }
}
