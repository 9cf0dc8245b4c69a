using System;
using System.Globalization;

namespace SmimeAdmin.Core.Store;

/// <summary>Another process held the store's lock for longer than the allowed wait.</summary>
public sealed class SmimeStoreLockTimeoutException : SmimeStoreException
{
    /// <summary>Creates the exception naming the lock file and the wait.</summary>
    public SmimeStoreLockTimeoutException(string path, TimeSpan timeout, Exception? innerException = null)
        : base(
            string.Format(CultureInfo.CurrentCulture, Strings.StoreLockTimeout, path, timeout.TotalSeconds),
            path,
            innerException)
    {
        Timeout = timeout;
    }

    /// <summary>How long the caller waited.</summary>
    public TimeSpan Timeout { get; }
}
