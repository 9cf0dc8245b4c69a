using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Nist;
using PkcsObjectIdentifiers = Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Messages;

/// <summary>
/// Builds and opens CMS EnvelopedData with the exact content cipher the organization's policy chose, RSA key transport
/// and ECDH key agreement (RFC 5753: dhSinglePass-stdDH with an X9.63 KDF and AES key wrap).
/// </summary>
/// <remarks>
/// Key agreement is done here rather than by BouncyCastle's generator because that generator's KDF input and originator
/// key encoding do not match what openssl and Outlook produce and expect (RFC 5753 ECC-CMS-SharedInfo with the wrap
/// algorithm's parameters absent; the originator key's parameters absent); the tests hold it to openssl both ways.
/// </remarks>
internal static class SmimeEnvelope
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    // RFC 5753 / SEC 1 key-agreement schemes with their KDF digests.
    private static readonly Dictionary<string, Func<IDigest>> s_kdfDigests = new(StringComparer.Ordinal)
    {
        ["1.3.133.16.840.63.0.2"] = () => new Sha1Digest(),
        ["1.3.132.1.11.0"] = () => new Sha224Digest(),
        ["1.3.132.1.11.1"] = () => new Sha256Digest(),
        ["1.3.132.1.11.2"] = () => new Sha384Digest(),
        ["1.3.132.1.11.3"] = () => new Sha512Digest(),
    };

    private const string Sha1KdfScheme = "1.3.133.16.840.63.0.2";
    private const string TripleDesWrapOid = "1.2.840.113549.1.9.16.3.6";
    private const string Rc2Oid = "1.2.840.113549.3.2";

    /// <summary>Encrypts <paramref name="content"/> for every recipient with the cipher <paramref name="cipherOid"/>.</summary>
    /// <param name="content">The MIME entity's bytes.</param>
    /// <param name="recipients">
    /// Each recipient's certificate, its public key (decoded once by the caller: BouncyCastle checks an RSA modulus
    /// each time it decodes one, which costs milliseconds), the wrapper that encrypts the content key for an RSA key
    /// (<see langword="null"/> for BouncyCastle's) and whether to identify it by subjectKeyIdentifier.
    /// </param>
    /// <param name="cipherOid">The content-encryption algorithm.</param>
    /// <param name="keyBits">The key length for RC2; <see langword="null"/> for the others.</param>
    /// <param name="random">The randomness for keys and IVs.</param>
    /// <returns>The DER ContentInfo.</returns>
    public static byte[] Encrypt(
        byte[] content,
        IEnumerable<(BcX509Certificate Certificate, AsymmetricKeyParameter PublicKey, IKeyWrapper? Wrapper, bool ByKeyIdentifier)> recipients,
        string cipherOid,
        int? keyBits,
        SecureRandom random)
    {
        var generator = new CmsEnvelopedDataGenerator(random);
        foreach ((BcX509Certificate certificate, AsymmetricKeyParameter publicKey, IKeyWrapper? rsaWrapper, bool byKeyIdentifier) in recipients)
        {
            byte[]? keyIdentifier = byKeyIdentifier ? SubjectKeyIdentifier(certificate) : null;
            if (publicKey is ECPublicKeyParameters ecKey)
            {
                generator.AddRecipientInfoGenerator(new EcdhRecipientInfoGenerator(certificate, ecKey, keyIdentifier, random));
                continue;
            }

            IKeyWrapper wrapper = rsaWrapper ?? new Asn1KeyWrapper(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance, publicKey);
            generator.AddRecipientInfoGenerator(keyIdentifier is not null
                ? new KeyTransRecipientInfoGenerator(keyIdentifier, wrapper)
                : new KeyTransRecipientInfoGenerator(new IssuerAndSerialNumber(certificate.IssuerDN, certificate.SerialNumber), wrapper));
        }

        var processable = new CmsProcessableByteArray(content);
        var cipher = new DerObjectIdentifier(cipherOid);
        CmsEnvelopedData envelope = keyBits is int bits
            ? generator.Generate(processable, cipher, bits)
            : generator.Generate(processable, cipher);
        // DER rather than BouncyCastle's indefinite lengths: some readers (libksba, so gpgsm) take only that.
        return envelope.ContentInfo.GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>Whether a certificate's key is an EC key, read from its algorithm without decoding the key.</summary>
    public static bool HasEcKey(BcX509Certificate certificate) =>
        certificate.CertificateStructure.SubjectPublicKeyInfo.Algorithm.Algorithm.Id == EcPublicKeyOid;

    /// <summary>The subjectKeyIdentifier of a certificate, or <see langword="null"/> when it has none.</summary>
    public static byte[]? SubjectKeyIdentifier(BcX509Certificate certificate)
    {
        Asn1OctetString? extension = certificate.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
        return extension is null ? null : Asn1OctetString.GetInstance(extension.GetOctets()).GetOctets();
    }

    /// <summary>Whether one of the keys belongs to a recipient of the envelope.</summary>
    public static bool HasRecipient(CmsEnvelopedData envelope, IReadOnlyList<(BcX509Certificate Certificate, AsymmetricKeyParameter Key)> keys) =>
        envelope.GetRecipientInfos().GetRecipients().Any(recipient => keys.Any(key => recipient.RecipientID.Match(key.Certificate)));

    /// <summary>Decrypts an envelope with the first key that belongs to one of its recipients.</summary>
    /// <returns>The content, or <see langword="null"/> when no key belongs to a recipient.</returns>
    public static byte[]? Decrypt(CmsEnvelopedData envelope, byte[] encoded, IReadOnlyList<(BcX509Certificate Certificate, AsymmetricKeyParameter Key)> keys)
    {
        // BouncyCastle lists the recipients in the order of the RecipientInfos, so an index finds the ASN.1 of one.
        var recipients = envelope.GetRecipientInfos().GetRecipients().ToList();
        for (int index = 0; index < recipients.Count; index++)
        {
            RecipientInformation recipient = recipients[index];
            foreach ((BcX509Certificate certificate, AsymmetricKeyParameter key) in keys)
            {
                if (!recipient.RecipientID.Match(certificate))
                {
                    continue;
                }

                if (recipient is KeyAgreeRecipientInformation)
                {
                    return DecryptKeyAgreement(encoded, certificate, key);
                }

                // BouncyCastle's constant-time RSA unwrap needs the content key's size, which RC2 does not fix.
                return envelope.EncryptionAlgOid == Rc2Oid
                    ? DecryptKeyTransport(encoded, index, key)
                    : recipient.GetContent(key);
            }
        }

        return null;
    }

    private static byte[] DecryptKeyAgreement(byte[] encoded, BcX509Certificate certificate, AsymmetricKeyParameter key)
    {
        EnvelopedData envelope = EnvelopedData.GetInstance(ContentInfo.GetInstance(Asn1Object.FromByteArray(encoded)).Content);
        var privateKey = (ECPrivateKeyParameters)key;
        foreach (Asn1Encodable info in envelope.RecipientInfos)
        {
            if (RecipientInfo.GetInstance(info).Info is not KeyAgreeRecipientInfo agreement)
            {
                continue;
            }

            foreach (Asn1Encodable item in agreement.RecipientEncryptedKeys)
            {
                var encryptedKey = RecipientEncryptedKey.GetInstance(item);
                if (!Identifies(encryptedKey.Identifier, certificate))
                {
                    continue;
                }

                AlgorithmIdentifier scheme = agreement.KeyEncryptionAlgorithm;
                AlgorithmIdentifier wrap = AlgorithmIdentifier.GetInstance(scheme.Parameters);
                ECPoint originator = privateKey.Parameters.Curve.DecodePoint(OriginatorKey(agreement.Originator));
                var originatorKey = new ECPublicKeyParameters(originator, privateKey.Parameters);
                byte[] kek = DeriveKek(scheme.Algorithm.Id, wrap, agreement.UserKeyingMaterial?.GetOctets(), privateKey, originatorKey);
                IWrapper unwrap = WrapEngine(wrap.Algorithm.Id);
                unwrap.Init(false, new KeyParameter(kek));
                byte[] wrapped = encryptedKey.EncryptedKey.GetOctets();
                byte[] contentKey = unwrap.Unwrap(wrapped, 0, wrapped.Length);
                return DecryptContent(envelope.EncryptedContentInfo, contentKey);
            }
        }

        throw new CmsException(Strings.MessageKeyAgreementNotFound);
    }

    private static byte[] DecryptKeyTransport(byte[] encoded, int index, AsymmetricKeyParameter key)
    {
        EnvelopedData envelope = EnvelopedData.GetInstance(ContentInfo.GetInstance(Asn1Object.FromByteArray(encoded)).Content);
        if (RecipientInfo.GetInstance(envelope.RecipientInfos[index]).Info is not KeyTransRecipientInfo transport
            || !transport.KeyEncryptionAlgorithm.Algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption))
        {
            throw new CmsException(Strings.MessageKeyTransportNotFound);
        }

        var rsa = new Pkcs1Encoding(new RsaBlindedEngine());
        rsa.Init(false, key);
        byte[] wrapped = transport.EncryptedKey.GetOctets();
        return DecryptContent(envelope.EncryptedContentInfo, rsa.ProcessBlock(wrapped, 0, wrapped.Length));
    }

    private static bool Identifies(KeyAgreeRecipientIdentifier identifier, BcX509Certificate certificate)
    {
        if (identifier.IssuerAndSerialNumber is IssuerAndSerialNumber issuerAndSerial)
        {
            return issuerAndSerial.SerialNumber.Value.Equals(certificate.SerialNumber) && issuerAndSerial.Issuer.Equivalent(certificate.IssuerDN);
        }

        byte[]? keyIdentifier = SubjectKeyIdentifier(certificate);
        return identifier.RKeyID is RecipientKeyIdentifier recipientKey && keyIdentifier is not null
            && Arrays.AreEqual(recipientKey.SubjectKeyIdentifier.GetOctets(), keyIdentifier);
    }

    private static byte[] OriginatorKey(OriginatorIdentifierOrKey originator) =>
        originator.OriginatorKey?.PublicKey.GetOctets()
        ?? throw new CmsException(Strings.MessageOriginatorKeyMissing);

    private static byte[] DecryptContent(EncryptedContentInfo info, byte[] contentKey)
    {
        AlgorithmIdentifier algorithm = info.ContentEncryptionAlgorithm;
        KeyParameter key = ParameterUtilities.CreateKeyParameter(algorithm.Algorithm, contentKey);
        ICipherParameters parameters = ParameterUtilities.GetCipherParameters(algorithm.Algorithm, key, algorithm.Parameters?.ToAsn1Object());
        IBufferedCipher cipher = CipherUtilities.GetCipher(algorithm.Algorithm);
        cipher.Init(false, parameters);
        return cipher.DoFinal(info.EncryptedContent?.GetOctets() ?? throw new CmsException(Strings.MessageEncryptedContentMissing));
    }

    // RFC 5753 section 7.2: KEK = KDF(Z, ECC-CMS-SharedInfo { keyInfo, [0] ukm OPTIONAL, [2] key length in bits }).
    private static byte[] DeriveKek(string scheme, AlgorithmIdentifier wrap, byte[]? ukm, ECPrivateKeyParameters privateKey, ECPublicKeyParameters publicKey)
    {
        if (!s_kdfDigests.TryGetValue(scheme, out Func<IDigest>? digest))
        {
            throw new CmsException(string.Format(CultureInfo.CurrentCulture, Strings.MessageKeyAgreementUnsupported, scheme));
        }

        int kekBytes = WrapKeyBytes(wrap.Algorithm.Id);
        var agreement = new ECDHBasicAgreement();
        agreement.Init(privateKey);
        byte[] z = BigIntegers.AsUnsignedByteArray(agreement.GetFieldSize(), agreement.CalculateAgreement(publicKey));
        var sharedInfo = new Asn1EncodableVector(wrap);
        if (ukm is not null)
        {
            sharedInfo.Add(new DerTaggedObject(true, 0, new DerOctetString(ukm)));
        }

        sharedInfo.Add(new DerTaggedObject(true, 2, new DerOctetString(BigEndian((uint)(kekBytes * 8)))));
        var kdf = new Kdf2BytesGenerator(digest());
        kdf.Init(new KdfParameters(z, new DerSequence(sharedInfo).GetEncoded(Asn1Encodable.Der)));
        byte[] kek = new byte[kekBytes];
        kdf.GenerateBytes(kek, 0, kek.Length);
        return kek;
    }

    private static int WrapKeyBytes(string wrapOid) => wrapOid switch
    {
        "2.16.840.1.101.3.4.1.5" => 16,
        "2.16.840.1.101.3.4.1.25" => 24,
        "2.16.840.1.101.3.4.1.45" => 32,
        TripleDesWrapOid => 24,
        _ => throw new CmsException(string.Format(CultureInfo.CurrentCulture, Strings.MessageKeyWrapUnsupported, wrapOid)),
    };

    // AES key wrap (RFC 3394), or the Triple-DES key wrap (RFC 3217) that openssl uses with Triple-DES content.
    private static IWrapper WrapEngine(string wrapOid) => wrapOid == TripleDesWrapOid ? new DesEdeWrapEngine() : new AesWrapEngine();

    private static byte[] BigEndian(uint value) => new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value };

    /// <summary>An ECDH recipient: an ephemeral key on the recipient's curve, SHA-1 X9.63 KDF, AES-256 key wrap.</summary>
    private sealed class EcdhRecipientInfoGenerator : RecipientInfoGenerator
    {
        private readonly BcX509Certificate _certificate;
        private readonly ECPublicKeyParameters _recipientKey;
        private readonly byte[]? _keyIdentifier;
        private readonly SecureRandom _random;

        public EcdhRecipientInfoGenerator(BcX509Certificate certificate, ECPublicKeyParameters recipientKey, byte[]? keyIdentifier, SecureRandom random)
        {
            _certificate = certificate;
            _recipientKey = recipientKey;
            _keyIdentifier = keyIdentifier;
            _random = random;
        }

        public RecipientInfo Generate(KeyParameter contentEncryptionKey, SecureRandom random)
        {
            ECPublicKeyParameters recipientKey = _recipientKey;
            var generator = new ECKeyPairGenerator();
            generator.Init(new ECKeyGenerationParameters(recipientKey.Parameters, _random));
            AsymmetricCipherKeyPair ephemeral = generator.GenerateKeyPair();

            var wrap = new AlgorithmIdentifier(NistObjectIdentifiers.IdAes256Wrap);
            byte[] kek = DeriveKek(Sha1KdfScheme, wrap, null, (ECPrivateKeyParameters)ephemeral.Private, recipientKey);
            var engine = new AesWrapEngine();
            engine.Init(true, new KeyParameter(kek));
            byte[] cek = contentEncryptionKey.GetKey();
            byte[] wrapped = engine.Wrap(cek, 0, cek.Length);

            // RFC 5753 section 3.1.1: the originator key's algorithm parameters are absent.
            var originator = new OriginatorPublicKey(
                new AlgorithmIdentifier(new DerObjectIdentifier(EcPublicKeyOid)),
                ((ECPublicKeyParameters)ephemeral.Public).Q.GetEncoded(false));
            KeyAgreeRecipientIdentifier identifier = _keyIdentifier is null
                ? new KeyAgreeRecipientIdentifier(new IssuerAndSerialNumber(_certificate.IssuerDN, _certificate.SerialNumber))
                : new KeyAgreeRecipientIdentifier(new RecipientKeyIdentifier(new DerOctetString(_keyIdentifier), null, null));
            var info = new KeyAgreeRecipientInfo(
                new OriginatorIdentifierOrKey(originator),
                null,
                new AlgorithmIdentifier(new DerObjectIdentifier(Sha1KdfScheme), wrap),
                new DerSequence(new RecipientEncryptedKey(identifier, new DerOctetString(wrapped))));
            return new RecipientInfo(info);
        }
    }
}
