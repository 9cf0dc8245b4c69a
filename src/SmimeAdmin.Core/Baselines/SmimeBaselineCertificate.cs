using System;

namespace SmimeAdmin.Core.Baselines;

/// <summary>
/// One certificate of a baseline's certificate collection: its thumbprint and, in an export, the certificate itself.
/// </summary>
public sealed class SmimeBaselineCertificate
{
    private readonly byte[]? _rawData;

    /// <summary>Creates the entry.</summary>
    /// <param name="thumbprint">The SHA-1 thumbprint in hexadecimal; stored in upper case.</param>
    /// <param name="rawData">
    /// The DER certificate; <see langword="null"/> when the baseline names the certificate only by its thumbprint
    /// (enough to compare, not to import).
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="thumbprint"/> is <see langword="null"/>.</exception>
    public SmimeBaselineCertificate(string thumbprint, byte[]? rawData)
    {
        Thumbprint = (thumbprint ?? throw new ArgumentNullException(nameof(thumbprint))).Trim().ToUpperInvariant();
        _rawData = rawData is null ? null : (byte[])rawData.Clone();
    }

    /// <summary>The SHA-1 thumbprint, upper-case hexadecimal, as the baseline gives it.</summary>
    public string Thumbprint { get; }

    /// <summary>Whether the baseline carries the certificate itself.</summary>
    public bool HasCertificate => _rawData is not null;

    /// <summary>A copy of the DER certificate, or <see langword="null"/> when the baseline has only the thumbprint.</summary>
    public byte[]? GetRawData() => _rawData is null ? null : (byte[])_rawData.Clone();

    /// <inheritdoc/>
    public override string ToString() => Thumbprint;
}
