using System;
using SmimeAdmin.Core.Certificates;

namespace SmimeAdmin.Core.Validation;

/// <summary>One certificate of a chain built by <see cref="SmimeCertificateValidator"/>.</summary>
/// <remarks>The type is immutable; <see cref="RawData"/> returns a copy.</remarks>
public sealed class SmimeChainElement
{
    private readonly byte[] _rawData;

    internal SmimeChainElement(
        byte[] rawData,
        string subject,
        string issuer,
        string thumbprint,
        string serialNumber,
        DateTime notBefore,
        DateTime notAfter,
        SmimeCaCertificate? caCertificate,
        bool isTrustAnchor)
    {
        _rawData = rawData;
        Subject = subject;
        Issuer = issuer;
        Thumbprint = thumbprint;
        SerialNumber = serialNumber;
        NotBefore = notBefore;
        NotAfter = notAfter;
        CaCertificate = caCertificate;
        IsTrustAnchor = isTrustAnchor;
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

    /// <summary>
    /// The decoded CA certificate for a certificate of the organization's collection or an additional intermediate;
    /// <see langword="null"/> for the user certificate.
    /// </summary>
    public SmimeCaCertificate? CaCertificate { get; }

    /// <summary>
    /// Whether the certificate belongs to the organization's certificate collection. A chain ends at the first such
    /// certificate, root or intermediate, so only the last element of a complete chain has this set.
    /// </summary>
    public bool IsTrustAnchor { get; }

    /// <summary>The subject and thumbprint, e.g. <c>CN=alice@contoso.com (0123...)</c>.</summary>
    public override string ToString() => Subject + " (" + Thumbprint + ")";
}
