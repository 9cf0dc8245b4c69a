using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace SmimeAdmin.Core.Validation;

/// <summary>The user certificate a validation was about, with the details the S/MIME checks looked at.</summary>
public sealed class SmimeEndEntityCertificate : SmimeCertificateIdentity
{
    internal SmimeEndEntityCertificate(
        SmimeChainElement element,
        IReadOnlyList<string> emailAddresses,
        string keyAlgorithm,
        X509KeyUsageFlags? keyUsage,
        IReadOnlyList<string>? extendedKeyUsages,
        IReadOnlyList<Uri> crlDistributionPoints)
        : base(element)
    {
        EmailAddresses = emailAddresses;
        KeyAlgorithm = keyAlgorithm;
        KeyUsage = keyUsage;
        ExtendedKeyUsages = extendedKeyUsages;
        CrlDistributionPoints = crlDistributionPoints;
    }

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
}
