using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;
using SmimeAdmin.Core.Certificates;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SmimeAdmin.Core.Validation;

/// <summary>A decoded CRL with a serial-number index, as <see cref="CrlCache"/> keeps it.</summary>
internal sealed class CachedCrl
{
    private static readonly HashSet<string> s_understoodCriticalExtensions = new(StringComparer.Ordinal)
    {
        X509Extensions.IssuingDistributionPoint.Id,
        X509Extensions.DeltaCrlIndicator.Id,
        X509Extensions.CrlNumber.Id,
        X509Extensions.AuthorityKeyIdentifier.Id,
        X509Extensions.FreshestCrl.Id,
    };

    private readonly X509Crl _crl;
    private readonly Lazy<Dictionary<BigInteger, RevokedCertificate>> _revoked;

    // The keys (by subjectPublicKeyInfo hash) the signature has been verified with; almost always one.
    private readonly ConcurrentDictionary<string, bool> _verifiedKeys = new(StringComparer.Ordinal);

    private CachedCrl(X509Crl crl)
    {
        _crl = crl;
        Issuer = DistinguishedName.Format(crl.IssuerDN);
        ThisUpdate = CertificateNode.ToUtc(crl.ThisUpdate);
        NextUpdate = crl.NextUpdate is DateTime next ? CertificateNode.ToUtc(next) : null;
        _revoked = new Lazy<Dictionary<BigInteger, RevokedCertificate>>(IndexRevoked, LazyThreadSafetyMode.ExecutionAndPublication);

        X509Extensions? extensions = crl.CertificateList.TbsCertList.Extensions;
        IsDelta = extensions?.GetExtension(X509Extensions.DeltaCrlIndicator) is not null;
        X509Extension? scope = extensions?.GetExtension(X509Extensions.IssuingDistributionPoint);
        Scope = scope is null ? null : IssuingDistributionPoint.GetInstance(scope.GetParsedValue());
        foreach (string oid in crl.GetCriticalExtensionOids() ?? (ISet<string>)new HashSet<string>())
        {
            if (!s_understoodCriticalExtensions.Contains(oid))
            {
                UnsupportedCriticalExtension ??= oid;
            }
        }
    }

    /// <summary>The issuer's name, formatted as certificate names are.</summary>
    public string Issuer { get; }

    public DateTime ThisUpdate { get; }

    /// <summary>When the next CRL is due; after it the CRL is stale. <see langword="null"/> when the CRL omits it.</summary>
    public DateTime? NextUpdate { get; }

    /// <summary>Whether this is a delta CRL, which lists changes since a base CRL and cannot stand alone.</summary>
    public bool IsDelta { get; }

    /// <summary>The issuingDistributionPoint extension, which narrows what the CRL covers; usually absent.</summary>
    public IssuingDistributionPoint? Scope { get; }

    /// <summary>The OID of the first critical extension this reader does not understand, if any.</summary>
    public string? UnsupportedCriticalExtension { get; }

    /// <summary>Decodes a CRL, DER or PEM.</summary>
    /// <exception cref="FormatException">The data is not a CRL.</exception>
    public static CachedCrl Parse(byte[] data)
    {
        try
        {
            X509Crl? crl = new X509CrlParser().ReadCrl(data);
            if (crl is null)
            {
                throw new FormatException(Strings.CrlEmpty);
            }

            return new CachedCrl(crl);
        }
        catch (Exception ex) when (ex is not FormatException && CertificateDer.IsDecodingFailure(ex))
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    /// <summary>Whether the signature verifies with <paramref name="key"/>; remembered per key.</summary>
    public bool IsSignedBy(AsymmetricKeyParameter key, string keyId)
    {
        if (_verifiedKeys.TryGetValue(keyId, out bool known))
        {
            return known;
        }

        bool valid;
        try
        {
            valid = _crl.IsSignatureValid(key);
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            valid = false;
        }

        _verifiedKeys[keyId] = valid;
        return valid;
    }

    /// <summary>The CRL's entry for a serial number, or <see langword="null"/> when it is not listed.</summary>
    public RevokedCertificate? Find(BigInteger serialNumber) =>
        _revoked.Value.TryGetValue(serialNumber, out RevokedCertificate? entry) ? entry : null;

    private static string ReadReason(X509CrlEntry entry)
    {
        try
        {
            X509Extension? extension = entry.CrlEntry.Extensions?.GetExtension(X509Extensions.ReasonCode);
            if (extension is not null)
            {
                return ReasonName(DerEnumerated.GetInstance(extension.GetParsedValue()).IntValueExact);
            }
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            // An unreadable reason does not make the entry less of a revocation.
        }

        return ReasonName(CrlReason.Unspecified);
    }

    // The names RFC 5280 gives the CRLReason values: identifiers, so not translated.
    private static string ReasonName(int reason) => reason switch
    {
        CrlReason.Unspecified => "unspecified",
        CrlReason.KeyCompromise => "keyCompromise",
        CrlReason.CACompromise => "cACompromise",
        CrlReason.AffiliationChanged => "affiliationChanged",
        CrlReason.Superseded => "superseded",
        CrlReason.CessationOfOperation => "cessationOfOperation",
        CrlReason.CertificateHold => "certificateHold",
        CrlReason.RemoveFromCrl => "removeFromCRL",
        CrlReason.PrivilegeWithdrawn => "privilegeWithdrawn",
        CrlReason.AACompromise => "aACompromise",
        _ => reason.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private Dictionary<BigInteger, RevokedCertificate> IndexRevoked()
    {
        var index = new Dictionary<BigInteger, RevokedCertificate>();
        ISet<X509CrlEntry>? entries = _crl.GetRevokedCertificates();
        if (entries is null)
        {
            return index;
        }

        foreach (X509CrlEntry entry in entries)
        {
            // removeFromCRL appears only on delta CRLs, which are not used; a listed serial is revoked.
            index[entry.SerialNumber] = new RevokedCertificate(CertificateNode.ToUtc(entry.RevocationDate), ReadReason(entry));
        }

        return index;
    }
}

/// <summary>One CRL entry: when the certificate was revoked and why.</summary>
internal sealed class RevokedCertificate
{
    public RevokedCertificate(DateTime revocationDate, string reason)
    {
        RevocationDate = revocationDate;
        Reason = reason;
    }

    public DateTime RevocationDate { get; }

    /// <summary>The RFC 5280 name of the reason code, <c>unspecified</c> when the entry has none.</summary>
    public string Reason { get; }
}
