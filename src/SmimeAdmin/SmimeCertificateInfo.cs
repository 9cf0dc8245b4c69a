using System;
using System.Diagnostics.CodeAnalysis;
using SmimeAdmin.Core.Certificates;

namespace SmimeAdmin;

/// <summary>One certificate of an organization's virtual certificate collection.</summary>
public sealed class SmimeCertificateInfo : SmimeCertificateSummary
{
    private readonly byte[] _rawData;

    internal SmimeCertificateInfo(string organization, SmimeCaCertificate certificate, DateTime nowUtc)
        : base(organization, certificate, nowUtc)
    {
        IsRoot = certificate.IsSelfIssued;
        KeyAlgorithm = certificate.KeyAlgorithm;
        KeySize = certificate.KeySize;
        SignatureAlgorithm = certificate.SignatureAlgorithm;
        _rawData = certificate.RawData;
    }

    /// <summary>Whether the certificate is a root (self-issued).</summary>
    public bool IsRoot { get; }

    /// <summary>The public key algorithm, e.g. RSA or EC.</summary>
    public string KeyAlgorithm { get; }

    /// <summary>The public key size in bits.</summary>
    public int KeySize { get; }

    /// <summary>The signature algorithm, e.g. sha256RSA.</summary>
    public string SignatureAlgorithm { get; }

    /// <summary>The DER-encoded certificate.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "X509Certificate2 exposes RawData the same way.")]
    public byte[] RawData => (byte[])_rawData.Clone();

    /// <inheritdoc/>
    public override string ToString() => Thumbprint;
}
