using System;
using System.Globalization;

namespace SmimeAdmin.Core.Certificates;

/// <summary>Certificate data is not in a form SmimeAdmin can read.</summary>
/// <remarks>
/// Every reader in this namespace reports malformed input with this exception and no other, so a caller can
/// catch one type for every file a user hands in.
/// </remarks>
public sealed class CertificateFormatException : SmimeAdminException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="offset">The byte offset in the input where the problem is.</param>
    /// <param name="reason">What was expected there and what was found.</param>
    /// <param name="innerException">The error that revealed the problem, if any.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offset"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is <see langword="null"/>.</exception>
    public CertificateFormatException(long offset, string reason, Exception? innerException = null)
        : base(FormatMessage(offset, reason), innerException)
    {
        Offset = offset;
        Reason = reason;
    }

    /// <summary>The byte offset in the input where the problem is.</summary>
    public long Offset { get; }

    /// <summary>What was expected at <see cref="Offset"/> and what was found.</summary>
    public string Reason { get; }

    private static string FormatMessage(long offset, string reason)
    {
        if (offset < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset));
        }

        if (reason is null)
        {
            throw new ArgumentNullException(nameof(reason));
        }

        return string.Format(CultureInfo.CurrentCulture, Strings.CertificateFormatAtOffset, offset, reason);
    }
}
