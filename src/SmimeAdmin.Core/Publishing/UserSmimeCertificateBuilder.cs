using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Smime;
using AlgorithmIdentifier = Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier;
using AuthorityKeyIdentifier = Org.BouncyCastle.Asn1.X509.AuthorityKeyIdentifier;
using RsaPublicKeyStructure = Org.BouncyCastle.Asn1.X509.RsaPublicKeyStructure;
using SubjectKeyIdentifier = Org.BouncyCastle.Asn1.X509.SubjectKeyIdentifier;
using SubjectPublicKeyInfo = Org.BouncyCastle.Asn1.X509.SubjectPublicKeyInfo;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using BcAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Publishing;

/// <summary>
/// Builds a <c>userSMIMECertificate</c> value: a DER CMS SignedData (RFC 5652) that carries the user's certificates
/// and, as the organization's settings say, their chain.
/// </summary>
/// <remarks>
/// <para>
/// With the user's private key (read from a .pfx) the blob is what Outlook publishes: no encapsulated content (the
/// content type is id-data, the content is empty and detached) and one SignerInfo by the signing certificate, whose
/// signed attributes are contentType, signingTime, messageDigest (of the empty content), SMIMECapabilities
/// (1.2.840.113549.1.9.15) listing the organization's OWAEncryptionAlgorithms in order (RC2 with its key length as an
/// INTEGER parameter, the others without parameters), SMIMEEncryptionKeyPreference (1.2.840.113549.1.9.16.2.11) and
/// Microsoft's encryption-key preference (1.3.6.1.4.1.311.16.4), both naming the certificate to encrypt to by issuer
/// and serial number. The digest is the first OWASigningAlgorithms entry that is not weak, else SHA-256: clients
/// reject SHA-1 and MD5 signatures, and the blob outlives any one message.
/// </para>
/// <para>
/// Without the key (an administrator publishing a .cer, .p7b or .sst) nothing can be signed, and a signature by any
/// other key would not bind the attributes to the user. The blob is then a certs-only SignedData, as a .p7b is: the
/// certificates and no SignerInfo, hence no SMIMECapabilities and no encryption-key preference. Outlook and OWA read
/// the certificates from it all the same; they fall back to their defaults for what the attributes would say.
/// </para>
/// <para>
/// Chain certificates are included only when they are on a chain of one of the user's certificates (the issuer name
/// matches, and the key identifiers or, without them, the signature): intermediates when OWAIncludeCertificateChainWithoutRootCertificate or
/// OWAIncludeCertificateChainAndRootCertificate is set, the self-issued root as well only with the latter.
/// Certificates keep their exact bytes and, as DER requires of a SET OF, are ordered by their encodings.
/// </para>
/// </remarks>
public static class UserSmimeCertificateBuilder
{
    /// <summary>Microsoft's encryption-key-preference attribute (szOID_MICROSOFT_Encryption_Key_Preference).</summary>
    internal static readonly DerObjectIdentifier MicrosoftEncryptionKeyPreference = new("1.3.6.1.4.1.311.16.4");

    private const int Rc2AlgorithmId = 0x6602;
    private const int SignedDataVersion = 1;
    private const int KeyEnciphermentBit = 2;
    private const int KeyAgreementBit = 4;
    private const int DigitalSignatureBit = 0;

    /// <summary>Builds the blob.</summary>
    /// <param name="userCertificates">The user's certificates (DER), at least one.</param>
    /// <param name="chain">CA certificates that may complete their chains (DER); may be empty.</param>
    /// <param name="settings">The organization's settings: the chain options and the algorithm lists.</param>
    /// <param name="key">The user's key, to sign with; <see langword="null"/> for a certs-only blob.</param>
    /// <param name="signingTimeUtc">The signingTime attribute; a local time is converted, an unspecified one taken as UTC.</param>
    /// <returns>The DER ContentInfo.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// No user certificate is given, an item is not a certificate, or the key belongs to none of the user's
    /// certificates (or does not match the certificate it came with).
    /// </exception>
    public static byte[] Build(
        IReadOnlyList<byte[]> userCertificates,
        IReadOnlyList<byte[]> chain,
        SmimeSettings settings,
        SmimeSigningKey? key,
        DateTime signingTimeUtc)
    {
        List<byte[]> users = CertificateDer.CheckForWrite(userCertificates, nameof(userCertificates));
        List<byte[]> chainCertificates = CertificateDer.CheckForWrite(chain, nameof(chain));
        if (settings is null)
        {
            throw new ArgumentNullException(nameof(settings));
        }

        if (users.Count == 0)
        {
            throw new ArgumentException(Strings.UserSmimeNoUserCertificate, nameof(userCertificates));
        }

        var certificates = new List<byte[]>();
        foreach (byte[] certificate in users.Concat(SelectChain(users, chainCertificates, settings)))
        {
            EncodedValues.AddDistinct(certificates, certificate);
        }

        if (key is null)
        {
            return Pkcs7Certificates.Write(certificates);
        }

        byte[] signerCertificate = users.FirstOrDefault(certificate => certificate.AsSpan().SequenceEqual(key.Certificate))
            ?? throw new ArgumentException(
                string.Format(CultureInfo.CurrentCulture, Strings.UserSmimeKeyNotForCertificates, key.CertificateThumbprint),
                nameof(key));

        // A .pfx can pair a key with the wrong certificate; a blob whose signature fails must not be published.
        if (!IsKeyOf(key.PrivateKey, CertificateDer.Parse(signerCertificate, 0)))
        {
            throw new ArgumentException(
                string.Format(CultureInfo.CurrentCulture, Strings.UserSmimeKeyMismatch, key.CertificateThumbprint),
                nameof(key));
        }

        return Sign(certificates, users, signerCertificate, key, settings, signingTimeUtc);
    }

    /// <summary>The SMIMECapabilities the organization's OWAEncryptionAlgorithms call for, in order.</summary>
    public static IReadOnlyList<UserSmimeCapability> Capabilities(SmimeSettings settings)
    {
        if (settings is null)
        {
            throw new ArgumentNullException(nameof(settings));
        }

        return SmimeAlgorithmList.ParseOrDefault(settings.OWAEncryptionAlgorithms, SmimeAlgorithmPurpose.Encryption)
            .Select(entry => new UserSmimeCapability(
                entry.Oid,
                entry.Algorithm.AlgorithmId == Rc2AlgorithmId && entry.CustomOid is null ? entry.EffectiveKeyLength : null))
            .ToList()
            .AsReadOnly();
    }

    /// <summary>The SMIMECapabilities attribute value the organization's OWAEncryptionAlgorithms call for.</summary>
    internal static SmimeCapabilityVector CapabilityVector(SmimeSettings settings)
    {
        var capabilities = new SmimeCapabilityVector();
        foreach (UserSmimeCapability capability in Capabilities(settings))
        {
            if (capability.KeyLength is int bits)
            {
                capabilities.AddCapability(new DerObjectIdentifier(capability.Oid), bits);
            }
            else
            {
                capabilities.AddCapability(new DerObjectIdentifier(capability.Oid));
            }
        }

        return capabilities;
    }

    /// <summary>The digest the blob is signed with: the first OWASigningAlgorithms entry that is not weak, else SHA-256.</summary>
    internal static SmimeAlgorithm Digest(SmimeSettings settings) =>
        SmimeAlgorithmList.ParseOrDefault(settings.OWASigningAlgorithms, SmimeAlgorithmPurpose.Signing)
            .Select(entry => entry.Algorithm)
            .FirstOrDefault(algorithm => !algorithm.IsWeak)
        ?? SmimeAlgorithm.StrongAlternative(SmimeAlgorithmPurpose.Signing);

    // Walks up from each user certificate by issuer name, keeping the CA certificates whose key verifies the child.
    private static IEnumerable<byte[]> SelectChain(List<byte[]> users, List<byte[]> chain, SmimeSettings settings)
    {
        bool includeRoot = settings.OWAIncludeCertificateChainAndRootCertificate;
        bool includeIntermediates = includeRoot || settings.OWAIncludeCertificateChainWithoutRootCertificate;
        if (!includeIntermediates)
        {
            yield break;
        }

        BcX509Certificate[] candidates = chain.Select(certificate => CertificateDer.Parse(certificate, 0)).ToArray();
        var used = new bool[candidates.Length];
        var pending = new Queue<BcX509Certificate>(users.Select(certificate => CertificateDer.Parse(certificate, 0)));
        while (pending.Count > 0)
        {
            BcX509Certificate child = pending.Dequeue();
            if (IsSelfIssued(child))
            {
                continue;
            }

            for (int i = 0; i < candidates.Length; i++)
            {
                if (used[i] || !IsIssuedBy(child, candidates[i]))
                {
                    continue;
                }

                used[i] = true;
                bool root = IsSelfIssued(candidates[i]);
                if (!root)
                {
                    pending.Enqueue(candidates[i]);
                }

                if (!root || includeRoot)
                {
                    yield return chain[i];
                }
            }
        }
    }

    private static bool IsSelfIssued(BcX509Certificate certificate) => certificate.IssuerDN.Equivalent(certificate.SubjectDN);

    // The issuer's name, then its key: by key identifiers when both certificates carry them, else by the signature.
    // Identifiers suffice here, where the file's own certificates are only sorted into the blob and nothing is
    // trusted, and they are cheap: decoding an RSA public key for a signature check tests its modulus, which takes
    // milliseconds per candidate and per user.
    private static bool IsIssuedBy(BcX509Certificate child, BcX509Certificate issuer)
    {
        if (!issuer.SubjectDN.Equivalent(child.IssuerDN))
        {
            return false;
        }

        try
        {
            byte[]? authorityKeyId = AuthorityKeyIdentifier.FromExtensions(child.CertificateStructure.Extensions)?.KeyIdentifier?.GetOctets();
            byte[]? subjectKeyId = SubjectKeyIdentifier.FromExtensions(issuer.CertificateStructure.Extensions)?.GetKeyIdentifier();
            return authorityKeyId is not null && subjectKeyId is not null
                ? authorityKeyId.AsSpan().SequenceEqual(subjectKeyId)
                : child.IsSignatureValid(issuer.GetPublicKey());
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            return false;
        }
    }

    // Compares the key with the certificate's public key field by field, which is far cheaper than a trial signature.
    private static bool IsKeyOf(AsymmetricKeyParameter key, BcX509Certificate certificate)
    {
        SubjectPublicKeyInfo publicKey = certificate.CertificateStructure.SubjectPublicKeyInfo;
        try
        {
            switch (key)
            {
                case RsaKeyParameters rsa:
                    RsaPublicKeyStructure numbers = RsaPublicKeyStructure.GetInstance(publicKey.ParsePublicKey());
                    return numbers.Modulus.Equals(rsa.Modulus)
                        && (rsa is not RsaPrivateCrtKeyParameters crt || numbers.PublicExponent.Equals(crt.PublicExponent));
                case ECPrivateKeyParameters ec:
                    return ec.Parameters.Curve.DecodePoint(publicKey.PublicKey.GetOctets())
                        .Equals(ec.Parameters.G.Multiply(ec.D).Normalize());
                default:
                    return false;
            }
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            return false;
        }
    }

    private static byte[] Sign(
        List<byte[]> certificates,
        List<byte[]> users,
        byte[] signerCertificate,
        SmimeSigningKey key,
        SmimeSettings settings,
        DateTime signingTimeUtc)
    {
        SmimeAlgorithm digest = Digest(settings);
        BcX509Certificate signer = CertificateDer.Parse(signerCertificate, 0);
        BcX509Certificate encryption = EncryptionCertificate(users.Select(certificate => CertificateDer.Parse(certificate, 0)).ToList(), signer);
        var preference = new IssuerAndSerialNumber(encryption.CertificateStructure.Issuer, encryption.SerialNumber);
        SmimeCapabilityVector capabilities = CapabilityVector(settings);
        var digestAlgorithm = new AlgorithmIdentifier(new DerObjectIdentifier(digest.Oid));
        byte[] messageDigest = DigestUtilities.CalculateDigest(digest.Oid, Array.Empty<byte>());
        var signedAttributes = new DerSet(new Asn1EncodableVector
        {
            new BcAttribute(CmsAttributes.ContentType, new DerSet(CmsObjectIdentifiers.Data)),
            new BcAttribute(CmsAttributes.SigningTime, new DerSet(new Time(WholeSecondsUtc(signingTimeUtc)))),
            new BcAttribute(CmsAttributes.MessageDigest, new DerSet(new DerOctetString(messageDigest))),
            new BcAttribute(SmimeAttributes.SmimeCapabilities, new DerSet(new DerSequence(capabilities.ToAsn1EncodableVector()))),
            new BcAttribute(SmimeAttributes.EncrypKeyPref, new DerSet(new DerTaggedObject(false, 0, preference))),
            new BcAttribute(MicrosoftEncryptionKeyPreference, new DerSet(preference)),
        });

        // RSA: PKCS #1 v1.5, identified as rsaEncryption as most S/MIME agents write it; EC: ecdsa-with-<digest>.
        bool rsa = key.PrivateKey is RsaKeyParameters;
        string signatureOid = (rsa ? digest.RsaSignatureOid : digest.EcdsaSignatureOid)!;
        AlgorithmIdentifier signatureAlgorithm = rsa
            ? new AlgorithmIdentifier(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance)
            : new AlgorithmIdentifier(new DerObjectIdentifier(signatureOid));
        ISigner signature = SignerUtilities.GetSigner(signatureOid);
        signature.Init(true, new ParametersWithRandom(key.PrivateKey, new SecureRandom()));
        byte[] toSign = signedAttributes.GetEncoded(Asn1Encodable.Der);
        signature.BlockUpdate(toSign, 0, toSign.Length);

        var signerInfo = new SignerInfo(
            new SignerIdentifier(new IssuerAndSerialNumber(signer.CertificateStructure.Issuer, signer.SerialNumber)),
            digestAlgorithm,
            signedAttributes,
            signatureAlgorithm,
            new DerOctetString(signature.GenerateSignature()),
            null);

        byte[] signedData = DerWriter.Element(
            DerWriter.Sequence,
            DerInteger.ValueOf(SignedDataVersion).GetEncoded(Asn1Encodable.Der),
            DerWriter.SetOf(DerWriter.Set, new[] { digestAlgorithm.GetEncoded(Asn1Encodable.Der) }),
            new ContentInfo(CmsObjectIdentifiers.Data, null).GetEncoded(Asn1Encodable.Der),
            DerWriter.SetOf(DerWriter.ContextConstructed0, certificates),
            DerWriter.SetOf(DerWriter.Set, new[] { signerInfo.GetEncoded(Asn1Encodable.Der) }));
        return DerWriter.Element(
            DerWriter.Sequence,
            CmsObjectIdentifiers.SignedData.GetEncoded(Asn1Encodable.Der),
            DerWriter.Element(DerWriter.ContextConstructed0, signedData));
    }

    // Prefer a certificate meant only for encryption (Outlook's pair), then any that allows it, then the signer's.
    private static BcX509Certificate EncryptionCertificate(List<BcX509Certificate> users, BcX509Certificate signer)
    {
        static bool CanEncrypt(BcX509Certificate certificate) =>
            certificate.GetKeyUsage() is not bool[] usage || usage[KeyEnciphermentBit] || usage[KeyAgreementBit];

        static bool OnlyEncrypts(BcX509Certificate certificate) =>
            certificate.GetKeyUsage() is bool[] usage && (usage[KeyEnciphermentBit] || usage[KeyAgreementBit]) && !usage[DigitalSignatureBit];

        return users.FirstOrDefault(OnlyEncrypts) ?? users.FirstOrDefault(CanEncrypt) ?? signer;
    }

    // UTCTime and GeneralizedTime in DER carry whole seconds here; a local time is converted first.
    private static DateTime WholeSecondsUtc(DateTime time)
    {
        DateTime utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
