using System;
using System.Diagnostics.CodeAnalysis;
using SmimeAdmin.Core.Certificates;

namespace SmimeAdmin;

/// <summary>One certificate of an organization's virtual certificate collection.</summary>
public sealed class SmimeCertificateInfo
{
    private readonly byte[] _rawData;

    internal SmimeCertificateInfo(string organization, SmimeCaCertificate certificate, DateTime nowUtc)
    {
        Organization = organization;
        Subject = certificate.Subject;
        Issuer = certificate.Issuer;
        Thumbprint = certificate.Thumbprint;
        SerialNumber = certificate.SerialNumber;
        NotBefore = certificate.NotBefore.ToLocalTime();
        NotAfter = certificate.NotAfter.ToLocalTime();
        IsRoot = certificate.IsSelfIssued;
        KeyAlgorithm = certificate.KeyAlgorithm;
        KeySize = certificate.KeySize;
        SignatureAlgorithm = certificate.SignatureAlgorithm;
        Status = SmimeCertificateCollection.ValidityAt(certificate, nowUtc).ToString();
        _rawData = certificate.RawData;
    }

    /// <summary>The organization whose collection holds the certificate.</summary>
    public string Organization { get; }

    /// <summary>The subject's distinguished name.</summary>
    public string Subject { get; }

    /// <summary>The issuer's distinguished name.</summary>
    public string Issuer { get; }

    /// <summary>The SHA-1 thumbprint, upper-case hex.</summary>
    public string Thumbprint { get; }

    /// <summary>The serial number, upper-case hex.</summary>
    public string SerialNumber { get; }

    /// <summary>The start of the validity period (local time).</summary>
    public DateTime NotBefore { get; }

    /// <summary>The end of the validity period (local time).</summary>
    public DateTime NotAfter { get; }

    /// <summary>Whether the certificate is a root (self-issued).</summary>
    public bool IsRoot { get; }

    /// <summary>The public key algorithm, e.g. RSA or EC.</summary>
    public string KeyAlgorithm { get; }

    /// <summary>The public key size in bits.</summary>
    public int KeySize { get; }

    /// <summary>The signature algorithm, e.g. sha256RSA.</summary>
    public string SignatureAlgorithm { get; }

    /// <summary>Valid, Expired or NotYetValid, at the time it was read.</summary>
    public string Status { get; }

    /// <summary>The DER-encoded certificate.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "X509Certificate2 exposes RawData the same way.")]
    public byte[] RawData => (byte[])_rawData.Clone();

    /// <inheritdoc/>
    public override string ToString() => Thumbprint;
}
