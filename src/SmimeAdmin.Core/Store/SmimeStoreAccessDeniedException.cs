using System;
using System.Globalization;

namespace SmimeAdmin.Core.Store;

/// <summary>The store refused the caller: wrong credentials, or no right to read or write what was asked.</summary>
public sealed class SmimeStoreAccessDeniedException : SmimeStoreException
{
    /// <summary>Creates the exception naming the store and what it answered.</summary>
    public SmimeStoreAccessDeniedException(string path, string reason, Exception? innerException = null)
        : base(string.Format(CultureInfo.CurrentCulture, Strings.StoreAccessDenied, path, reason), path, innerException)
    {
    }
}
