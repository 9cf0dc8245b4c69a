using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using SmimeAdmin.Core.Certificates;
using BcAuthorityKeyIdentifier = Org.BouncyCastle.Asn1.X509.AuthorityKeyIdentifier;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;
using BcX509Extension = Org.BouncyCastle.Asn1.X509.X509Extension;

namespace SmimeAdmin.Core.Validation;

/// <summary>
/// A certificate as the validator handles it: the names and dates path building compares, plus what signature and
/// CRL checks need, decoded on first use. Nodes of the trust collection live as long as the validator and are shared
/// between threads, so a CA's public key is decoded once however many certificates it issued.
/// </summary>
internal sealed class CertificateNode
{
    private const int UriTag = GeneralName.UniformResourceIdentifier;

    private readonly byte[] _rawData;
    private readonly Lazy<BcX509Certificate> _certificate;
    private readonly Lazy<SignatureKey?> _publicKey;
    private readonly Lazy<string> _keyId;
    private readonly Lazy<SmimeChainElement> _element;

    private CertificateNode(
        byte[] rawData,
        Lazy<BcX509Certificate> certificate,
        string subject,
        string issuer,
        string thumbprint,
        string serialNumber,
        DateTime notBefore,
        DateTime notAfter,
        byte[]? subjectKeyIdentifier,
        byte[]? authorityKeyIdentifier,
        SmimeCaCertificate? ca,
        bool inCollection)
    {
        _rawData = rawData;
        _certificate = certificate;
        Subject = subject;
        Issuer = issuer;
        Thumbprint = thumbprint;
        SerialNumber = serialNumber;
        NotBefore = notBefore;
        NotAfter = notAfter;
        SubjectKeyIdentifier = subjectKeyIdentifier;
        AuthorityKeyIdentifier = authorityKeyIdentifier;
        Ca = ca;
        InCollection = inCollection;
        IsSelfIssued = string.Equals(subject, issuer, StringComparison.OrdinalIgnoreCase);
        _publicKey = new Lazy<SignatureKey?>(() => SignatureKey.Decode(Certificate.CertificateStructure.SubjectPublicKeyInfo), LazyThreadSafetyMode.PublicationOnly);
        _keyId = new Lazy<string>(ComputeKeyId, LazyThreadSafetyMode.PublicationOnly);
        _element = new Lazy<SmimeChainElement>(
            () => new SmimeChainElement(_rawData, Subject, Issuer, Thumbprint, SerialNumber, NotBefore, NotAfter, Ca, InCollection),
            LazyThreadSafetyMode.PublicationOnly);
    }

    public string Subject { get; }

    public string Issuer { get; }

    public string Thumbprint { get; }

    public string SerialNumber { get; }

    public DateTime NotBefore { get; }

    public DateTime NotAfter { get; }

    public byte[]? SubjectKeyIdentifier { get; }

    public byte[]? AuthorityKeyIdentifier { get; }

    /// <summary>The decoded CA view; <see langword="null"/> for the user certificate.</summary>
    public SmimeCaCertificate? Ca { get; }

    /// <summary>Whether the certificate belongs to the organization's collection, which makes it a trust anchor.</summary>
    public bool InCollection { get; }

    public bool IsSelfIssued { get; }

    public byte[] RawData => _rawData;

    public BcX509Certificate Certificate => _certificate.Value;

    public Org.BouncyCastle.Math.BigInteger Serial => Certificate.SerialNumber;

    /// <summary>The public key, or <see langword="null"/> when it cannot be decoded or is unreasonable.</summary>
    public AsymmetricKeyParameter? PublicKey => _publicKey.Value?.Key;

    /// <summary>A SHA-256 hash of the subjectPublicKeyInfo: which key verified a CRL.</summary>
    public string KeyId => _keyId.Value;

    public SmimeChainElement Element => _element.Value;

    /// <summary>A node for a CA certificate already decoded by the collection.</summary>
    public static CertificateNode FromCa(SmimeCaCertificate ca, bool inCollection)
    {
        byte[] raw = ca.RawData;
        return new CertificateNode(
            raw,
            new Lazy<BcX509Certificate>(() => CertificateDer.Parse(raw, 0), LazyThreadSafetyMode.PublicationOnly),
            ca.Subject,
            ca.Issuer,
            ca.Thumbprint,
            ca.SerialNumber,
            ca.NotBefore,
            ca.NotAfter,
            ca.SubjectKeyIdentifier,
            ca.AuthorityKeyIdentifier,
            ca,
            inCollection);
    }

    /// <summary>A node for the user certificate, decoded by the caller.</summary>
    public static CertificateNode FromEndEntity(byte[] raw, string thumbprint, BcX509Certificate certificate, bool inCollection)
    {
        TbsCertificateStructure tbs = certificate.TbsCertificate;
        X509Extensions? extensions = tbs.Extensions;
        return new CertificateNode(
            raw,
            new Lazy<BcX509Certificate>(() => certificate, LazyThreadSafetyMode.PublicationOnly),
            DistinguishedName.Format(tbs.Subject),
            DistinguishedName.Format(tbs.Issuer),
            thumbprint,
            HexText.Upper(tbs.SerialNumber.Value.ToByteArray()),
            ToUtc(certificate.NotBefore),
            ToUtc(certificate.NotAfter),
            null,
            extensions is null ? null : TryRead(() => BcAuthorityKeyIdentifier.FromExtensions(extensions)?.KeyIdentifier?.GetOctets()),
            null,
            inCollection);
    }

    public static DateTime ToUtc(DateTime value) =>
        value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc);

    /// <summary>The keyUsage bits, or <see langword="null"/> without the extension (decoded already by the parser).</summary>
    public X509KeyUsageFlags? GetKeyUsage()
    {
        bool[]? bits = Certificate.GetKeyUsage();
        if (bits is null)
        {
            return null;
        }

        // keyUsage bit n has the mask 0x80 >> n in the first byte; decipherOnly (bit 8) is 0x8000 in .NET's flags.
        int flags = 0;
        for (int bit = 0; bit < bits.Length && bit < 9; bit++)
        {
            if (bits[bit])
            {
                flags |= bit < 8 ? 0x80 >> bit : 0x8000;
            }
        }

        return (X509KeyUsageFlags)flags;
    }

    /// <summary>The CRL distribution point URIs in certificate order, skipping points served by another CRL issuer.</summary>
    /// <exception cref="ArgumentException">The extension cannot be decoded (BouncyCastle throws various types).</exception>
    public IReadOnlyList<Uri> GetCrlDistributionPoints()
    {
        X509Extensions? extensions = Certificate.TbsCertificate.Extensions;
        BcX509Extension? extension = extensions?.GetExtension(X509Extensions.CrlDistributionPoints);
        if (extension is null)
        {
            return Array.Empty<Uri>();
        }

        var uris = new List<Uri>();
        foreach (DistributionPoint point in CrlDistPoint.GetInstance(extension.GetParsedValue()).GetDistributionPoints())
        {
            // An indirect CRL (cRLIssuer) is signed by someone other than the issuer; such CRLs are not supported.
            if (point.CrlIssuer is not null || point.DistributionPointName is not { Type: DistributionPointName.FullName } name)
            {
                continue;
            }

            foreach (GeneralName general in GeneralNames.GetInstance(name.Name).GetNames())
            {
                if (general.TagNo == UriTag
                    && Uri.TryCreate(DerIA5String.GetInstance(general.Name).GetString(), UriKind.Absolute, out Uri? uri))
                {
                    uris.Add(uri);
                }
            }
        }

        return uris;
    }

    /// <summary>Whether <paramref name="issuer"/>'s key verifies this certificate's signature.</summary>
    public bool IsSignedBy(CertificateNode issuer)
    {
        SignatureKey? key = issuer._publicKey.Value;
        return key is not null && key.Verifies(Certificate, _rawData);
    }

    private static T? TryRead<T>(Func<T?> read)
        where T : class
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            return null;
        }
    }

    private string ComputeKeyId()
    {
        using SHA256 sha256 = SHA256.Create();
        return HexText.Upper(sha256.ComputeHash(Certificate.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded()));
    }
}
