using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace SmimeAdmin.Core.Validation;

/// <summary>The user certificate a validation was about, with the details the S/MIME checks looked at.</summary>
/// <remarks>The type is immutable; <see cref="RawData"/> returns a copy.</remarks>
public sealed class SmimeEndEntityCertificate
{
    private readonly byte[] _rawData;

    internal SmimeEndEntityCertificate(
        SmimeChainElement element,
        byte[] rawData,
        IReadOnlyList<string> emailAddresses,
        string keyAlgorithm,
        X509KeyUsageFlags? keyUsage,
        IReadOnlyList<string>? extendedKeyUsages,
        IReadOnlyList<Uri> crlDistributionPoints)
    {
        _rawData = rawData;
        Subject = element.Subject;
        Issuer = element.Issuer;
        Thumbprint = element.Thumbprint;
        SerialNumber = element.SerialNumber;
        NotBefore = element.NotBefore;
        NotAfter = element.NotAfter;
        EmailAddresses = emailAddresses;
        KeyAlgorithm = keyAlgorithm;
        KeyUsage = keyUsage;
        ExtendedKeyUsages = extendedKeyUsages;
        CrlDistributionPoints = crlDistributionPoints;
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
    /// The email addresses the certificate binds, in this order: subjectAltName rfc822Name entries, subjectAltName
    /// SmtpUTF8Mailbox entries (RFC 9598), then the subject's PKCS #9 emailAddress attributes; each address once.
    /// Empty when the certificate names none, which RFC 8550 allows.
    /// </summary>
    public IReadOnlyList<string> EmailAddresses { get; }

    /// <summary>The public-key algorithm: <c>RSA</c>, <c>EC</c>, <c>Ed25519</c>, ..., or the OID when unknown.</summary>
    public string KeyAlgorithm { get; }

    /// <summary>The keyUsage bits, or <see langword="null"/> when the certificate has no keyUsage extension.</summary>
    public X509KeyUsageFlags? KeyUsage { get; }

    /// <summary>
    /// The extendedKeyUsage purposes as dotted OIDs, or <see langword="null"/> when the certificate has no
    /// extendedKeyUsage extension (which RFC 8550 reads as "not restricted").
    /// </summary>
    public IReadOnlyList<string>? ExtendedKeyUsages { get; }

    /// <summary>The full-name URIs of the CRL distribution points, of every scheme, in certificate order.</summary>
    public IReadOnlyList<Uri> CrlDistributionPoints { get; }

    /// <summary>The subject and thumbprint.</summary>
    public override string ToString() => Subject + " (" + Thumbprint + ")";
}
