using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using BcAuthorityKeyIdentifier = Org.BouncyCastle.Asn1.X509.AuthorityKeyIdentifier;
using BcSubjectKeyIdentifier = Org.BouncyCastle.Asn1.X509.SubjectKeyIdentifier;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Certificates;

/// <summary>
/// A certificate of the certificate-authority collection (Exchange's <c>SMIMECertificateIssuingCA</c>), decoded once
/// with the details an administrator checks and a signature test for building chains.
/// </summary>
/// <remarks>
/// Decoding uses BouncyCastle, so the result is the same on Windows, Linux and macOS. The type is immutable and safe to
/// share between threads. Names, serial number and thumbprint are formatted as Windows shows them.
/// </remarks>
public sealed class SmimeCaCertificate
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string RsaPssOid = "1.2.840.113549.1.1.10";
    private const string EcOid = "1.2.840.10045.2.1";
    private const string DsaOid = "1.2.840.10040.4.1";

    private static readonly Dictionary<string, int> s_fixedKeySizes = new(StringComparer.Ordinal)
    {
        ["1.3.101.110"] = 256,
        ["1.3.101.111"] = 448,
        ["1.3.101.112"] = 256,
        ["1.3.101.113"] = 456,
    };

    // Field sizes of named curves; looked up in BouncyCastle's curve table once per curve.
    private static readonly ConcurrentDictionary<string, int> s_curveSizes = new(StringComparer.Ordinal);

    // Only the DER is kept, not BouncyCastle's decoded tree: a collection can hold tens of thousands of certificates,
    // and signatures are checked for few of them (intermediates), which decode again when asked.
    private readonly byte[] _rawData;
    private readonly Lazy<SignatureKey?> _publicKey;
    private int _selfSigned;

    private SmimeCaCertificate(byte[] rawData, BcX509Certificate certificate)
    {
        _rawData = rawData;
        _publicKey = new Lazy<SignatureKey?>(() => SignatureKey.Decode(Decode().CertificateStructure.SubjectPublicKeyInfo), LazyThreadSafetyMode.PublicationOnly);

        X509CertificateStructure structure = certificate.CertificateStructure;
        TbsCertificateStructure tbs = structure.TbsCertificate;
        Thumbprint = HexText.Upper(SerializedCertificateStore.Sha1(rawData));
        Subject = DistinguishedName.Format(tbs.Subject);
        Issuer = DistinguishedName.Format(tbs.Issuer);
        SerialNumber = HexText.Upper(tbs.SerialNumber.Value.ToByteArray());
        NotBefore = ToUtc(structure.StartDate);
        NotAfter = ToUtc(structure.EndDate);
        Version = certificate.Version;
        IsSelfIssued = string.Equals(Subject, Issuer, StringComparison.OrdinalIgnoreCase);
        SignatureAlgorithm = AlgorithmNames.Signature(structure.SignatureAlgorithm.Algorithm.Id);

        SubjectPublicKeyInfo publicKeyInfo = tbs.SubjectPublicKeyInfo;
        string keyOid = publicKeyInfo.Algorithm.Algorithm.Id;
        KeyAlgorithm = AlgorithmNames.PublicKey(keyOid);
        KeySize = MeasureKey(keyOid, publicKeyInfo);

        X509Extensions? extensions = tbs.Extensions;
        BasicConstraints? basicConstraints = extensions is null ? null : BasicConstraints.FromExtensions(extensions);
        if (basicConstraints is not null && basicConstraints.IsCA())
        {
            IsCertificateAuthority = true;
            PathLengthConstraint = ToPathLength(basicConstraints.PathLenConstraint);
        }
        else
        {
            // Version 1 and 2 certificates cannot carry basicConstraints; a self-issued one is a root by its nature
            // (RFC 5280 6.1.4 (k) leaves that to out-of-band trust, which being in the collection is).
            IsCertificateAuthority = Version < 3 && IsSelfIssued;
        }

        if (extensions is not null)
        {
            SubjectKeyIdentifier = KeyIdentifier(() => BcSubjectKeyIdentifier.FromExtensions(extensions)?.GetKeyIdentifier());
            AuthorityKeyIdentifier = KeyIdentifier(() => BcAuthorityKeyIdentifier.FromExtensions(extensions)?.KeyIdentifier?.GetOctets());
        }
    }

    /// <summary>A copy of the certificate's DER encoding.</summary>
    public byte[] RawData => (byte[])_rawData.Clone();

    /// <summary>The SHA-1 hash of the DER encoding, in upper-case hexadecimal, as Windows shows it.</summary>
    public string Thumbprint { get; }

    /// <summary>The subject's distinguished name, most specific part first, e.g. <c>CN=Root, O=Contoso, C=US</c>.</summary>
    public string Subject { get; }

    /// <summary>The issuer's distinguished name, formatted as <see cref="Subject"/>.</summary>
    public string Issuer { get; }

    /// <summary>The serial number as the bytes of its encoding in upper-case hexadecimal, as Windows shows it.</summary>
    public string SerialNumber { get; }

    /// <summary>The start of the validity period, in UTC.</summary>
    public DateTime NotBefore { get; }

    /// <summary>The end of the validity period, in UTC.</summary>
    public DateTime NotAfter { get; }

    /// <summary>The X.509 version: 1, 2 or 3.</summary>
    public int Version { get; }

    /// <summary>Whether the subject and issuer names are the same (compared as formatted, ignoring letter case).</summary>
    public bool IsSelfIssued { get; }

    /// <summary>
    /// Whether the certificate may issue certificates: basicConstraints says cA, or it is a self-issued version 1
    /// (or 2) certificate, which cannot carry extensions.
    /// </summary>
    public bool IsCertificateAuthority { get; }

    /// <summary>The basicConstraints path length limit, or <see langword="null"/> when there is none.</summary>
    public int? PathLengthConstraint { get; }

    /// <summary>The public-key algorithm: <c>RSA</c>, <c>EC</c>, <c>DSA</c>, <c>Ed25519</c>, ..., or the OID when unknown.</summary>
    public string KeyAlgorithm { get; }

    /// <summary>The key size in bits: the modulus for RSA, the curve's field size for EC, 0 when unknown.</summary>
    public int KeySize { get; }

    /// <summary>The signature algorithm as Windows names it, e.g. <c>sha256RSA</c>, <c>sha384ECDSA</c>, or the OID.</summary>
    public string SignatureAlgorithm { get; }

    /// <summary>
    /// Whether this certificate is self-issued and its signature verifies with its own key. A trust anchor needs only
    /// to be self-issued: its self-signature (often MD2 or SHA-1 on old roots) is not what makes it trusted.
    /// </summary>
    public bool IsSelfSigned
    {
        get
        {
            int known = Volatile.Read(ref _selfSigned);
            if (known == 0)
            {
                known = IsSelfIssued && IsSignedBy(this) ? 1 : 2;
                Volatile.Write(ref _selfSigned, known);
            }

            return known == 1;
        }
    }

    internal byte[]? SubjectKeyIdentifier { get; }

    internal byte[]? AuthorityKeyIdentifier { get; }

    /// <summary>Decodes a DER X.509 certificate.</summary>
    /// <param name="der">The certificate's encoding, with nothing after it.</param>
    /// <returns>The decoded certificate; it keeps its own copy of <paramref name="der"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="der"/> is <see langword="null"/>.</exception>
    /// <exception cref="CertificateFormatException">The bytes are not an X.509 certificate.</exception>
    public static SmimeCaCertificate Parse(byte[] der)
    {
        if (der is null)
        {
            throw new ArgumentNullException(nameof(der));
        }

        byte[] copy = (byte[])der.Clone();
        BcX509Certificate certificate = CertificateDer.Parse(copy, 0);
        try
        {
            return new SmimeCaCertificate(copy, certificate);
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            throw new CertificateFormatException(0, ex.Message, ex);
        }
    }

    /// <summary>Whether <paramref name="issuer"/>'s public key verifies this certificate's signature.</summary>
    /// <param name="issuer">The candidate issuer (may be this certificate).</param>
    /// <returns>
    /// <see langword="true"/> when the signature verifies; <see langword="false"/> when it does not, when the key and
    /// signature algorithms do not fit together, or when the algorithm is not supported.
    /// </returns>
    /// <remarks>Names are not compared here; a chain builder matches the issuer name first.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="issuer"/> is <see langword="null"/>.</exception>
    public bool IsSignedBy(SmimeCaCertificate issuer)
    {
        if (issuer is null)
        {
            throw new ArgumentNullException(nameof(issuer));
        }

        SignatureKey? key = issuer._publicKey.Value;
        if (key is null)
        {
            return false;
        }

        try
        {
            return key.Verifies(Decode(), _rawData);
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            return false;
        }
    }

    /// <summary>The subject and thumbprint, e.g. <c>CN=Root, O=Contoso (0123...)</c>.</summary>
    public override string ToString() => Subject + " (" + Thumbprint + ")";

    private static DateTime ToUtc(Time time)
    {
        DateTime value = time.ToDateTime();
        return value.Kind == DateTimeKind.Local
            ? value.ToUniversalTime()
            : DateTime.SpecifyKind(value, DateTimeKind.Utc);
    }

    private static int? ToPathLength(BigInteger? value)
    {
        if (value is null || value.SignValue < 0)
        {
            return null;
        }

        return value.BitLength > 31 ? int.MaxValue : value.IntValue;
    }

    private static byte[]? KeyIdentifier(Func<byte[]?> read)
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

    private static int MeasureKey(string oid, SubjectPublicKeyInfo publicKeyInfo)
    {
        try
        {
            switch (oid)
            {
                case RsaOid:
                case RsaPssOid:
                    return RsaPublicKeyStructure.GetInstance(publicKeyInfo.ParsePublicKey()).Modulus.BitLength;
                case EcOid:
                    return CurveSize(publicKeyInfo.Algorithm.Parameters);
                case DsaOid:
                    Asn1Encodable? parameters = publicKeyInfo.Algorithm.Parameters;
                    return parameters is Asn1Sequence ? DsaParameter.GetInstance(parameters).P.BitLength : 0;
                default:
                    return s_fixedKeySizes.TryGetValue(oid, out int size) ? size : 0;
            }
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            return 0;
        }
    }

    private static int CurveSize(Asn1Encodable? parameters)
    {
        switch (parameters)
        {
            case DerObjectIdentifier curve:
                return s_curveSizes.GetOrAdd(curve.Id, _ => ECNamedCurveTable.GetByOid(curve)?.Curve.FieldSize ?? 0);
            case Asn1Sequence explicitCurve:
                return X9ECParameters.GetInstance(explicitCurve).Curve.FieldSize;
            default:
                return 0;
        }
    }

    private BcX509Certificate Decode() => CertificateDer.Parse(_rawData, 0);
}
