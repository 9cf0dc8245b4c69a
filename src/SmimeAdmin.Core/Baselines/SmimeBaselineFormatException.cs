using System;
using System.Globalization;

namespace SmimeAdmin.Core.Baselines;

/// <summary>A configuration file is not a SmimeAdmin configuration document, or is of a newer schema version.</summary>
public sealed class SmimeBaselineFormatException : SmimeAdminException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file the document came from.</param>
    /// <param name="reason">What is wrong with it.</param>
    /// <param name="innerException">The parser's error, if any.</param>
    public SmimeBaselineFormatException(string source, string reason, Exception? innerException = null)
        : base(string.Format(CultureInfo.CurrentCulture, Strings.BaselineFileInvalid, source, reason), innerException)
    {
        Origin = source;
        Reason = reason;
    }

    /// <summary>The file the document came from.</summary>
    public string Origin { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
