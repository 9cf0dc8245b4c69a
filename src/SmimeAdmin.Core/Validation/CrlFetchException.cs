using System;
using System.Globalization;

namespace SmimeAdmin.Core.Validation;

/// <summary>A CRL could not be retrieved from a distribution point.</summary>
public sealed class CrlFetchException : SmimeAdminException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="uri">The distribution point.</param>
    /// <param name="reason">What went wrong, for people.</param>
    /// <param name="isTimeout">Whether the retrieval ran out of time.</param>
    /// <param name="innerException">The error that caused it, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> or <paramref name="reason"/> is <see langword="null"/>.</exception>
    public CrlFetchException(Uri uri, string reason, bool isTimeout = false, Exception? innerException = null)
        : base(FormatMessage(uri, reason), innerException)
    {
        Uri = uri;
        Reason = reason;
        IsTimeout = isTimeout;
    }

    /// <summary>The distribution point.</summary>
    public Uri Uri { get; }

    /// <summary>What went wrong, without the URI.</summary>
    public string Reason { get; }

    /// <summary>Whether the retrieval ran out of time (rather than failing).</summary>
    public bool IsTimeout { get; }

    private static string FormatMessage(Uri uri, string reason)
    {
        if (uri is null)
        {
            throw new ArgumentNullException(nameof(uri));
        }

        if (reason is null)
        {
            throw new ArgumentNullException(nameof(reason));
        }

        return string.Format(CultureInfo.CurrentCulture, Strings.CrlFetchFailed, uri, reason);
    }
}
