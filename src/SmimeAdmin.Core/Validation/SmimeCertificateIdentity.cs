using System;

namespace SmimeAdmin.Core.Validation;

/// <summary>What every certificate a validation reports carries: its encoding, names, serial number and validity.</summary>
/// <remarks>The type is immutable; <see cref="RawData"/> returns a copy.</remarks>
public abstract class SmimeCertificateIdentity
{
    private readonly byte[] _rawData;

    private protected SmimeCertificateIdentity(
        byte[] rawData,
        string subject,
        string issuer,
        string thumbprint,
        string serialNumber,
        DateTime notBefore,
        DateTime notAfter)
    {
        _rawData = rawData;
        Subject = subject;
        Issuer = issuer;
        Thumbprint = thumbprint;
        SerialNumber = serialNumber;
        NotBefore = notBefore;
        NotAfter = notAfter;
    }

    // Shares the other's encoding, which no one can change.
    private protected SmimeCertificateIdentity(SmimeCertificateIdentity other)
        : this(other._rawData, other.Subject, other.Issuer, other.Thumbprint, other.SerialNumber, other.NotBefore, other.NotAfter)
    {
    }

    /// <summary>A copy of the certificate's DER encoding.</summary>
    public byte[] RawData => (byte[])_rawData.Clone();

    /// <summary>The subject's distinguished name, most specific part first, as Windows shows it.</summary>
    public string Subject { get; }

    /// <summary>The issuer's distinguished name, formatted as <see cref="Subject"/>.</summary>
    public string Issuer { get; }

    /// <summary>The SHA-1 hash of the DER encoding in upper-case hexadecimal, as Windows shows it.</summary>
    public string Thumbprint { get; }

    /// <summary>The serial number as the bytes of its encoding in upper-case hexadecimal.</summary>
    public string SerialNumber { get; }

    /// <summary>The start of the validity period, in UTC.</summary>
    public DateTime NotBefore { get; }

    /// <summary>The end of the validity period, in UTC.</summary>
    public DateTime NotAfter { get; }

    /// <summary>The subject and thumbprint, e.g. <c>CN=alice@contoso.com (0123...)</c>.</summary>
    public override string ToString() => Subject + " (" + Thumbprint + ")";
}
