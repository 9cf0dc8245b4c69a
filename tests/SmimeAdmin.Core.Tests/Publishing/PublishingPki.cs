using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using SmimeAdmin.Core.Tests.Certificates;
using Xunit;

namespace SmimeAdmin.Core.Tests.Publishing;

/// <summary>
/// Users' certificates for the publishing tests, issued by <see cref="TestPki.Intermediate"/>: Alice's signing and
/// encryption pair (RSA) and Bob's EC certificate, with their keys, and PKCS #12 files made from them. Keys come from a
/// seeded generator; the whole set is built once per test process.
/// </summary>
internal sealed class PublishingPki
{
    /// <summary>The password of the test .pfx files (test-only, obviously not a secret).</summary>
    public const string Password = "no.secret";

    private static readonly Lazy<PublishingPki> s_instance = new(() => new PublishingPki());

    private readonly SecureRandom _random;

    private PublishingPki()
    {
        _random = TestKeys.SeededRandom(20261201L);

        AliceSigningKey = TestKeys.NewRsa(_random);
        AliceEncryptionKey = TestKeys.NewRsa(_random);
        BobKey = TestKeys.NewEc(_random);

        AliceSigning = Issue("O=Contoso,CN=Alice Signing", "alice@contoso.com", AliceSigningKey.Public, KeyUsage.DigitalSignature | KeyUsage.NonRepudiation, 201);
        AliceEncryption = Issue("O=Contoso,CN=Alice Encryption", "alice@contoso.com", AliceEncryptionKey.Public, KeyUsage.KeyEncipherment, 202);
        Bob = Issue("O=Contoso,CN=Bob", "bob@contoso.com", BobKey.Public, KeyUsage.DigitalSignature | KeyUsage.KeyAgreement, 203);
    }

    public static PublishingPki Instance => s_instance.Value;

    public static TestPki Ca => TestPki.Instance;

    public AsymmetricCipherKeyPair AliceSigningKey { get; }

    public AsymmetricCipherKeyPair AliceEncryptionKey { get; }

    public AsymmetricCipherKeyPair BobKey { get; }

    /// <summary>Alice's signing certificate: digitalSignature and nonRepudiation.</summary>
    public byte[] AliceSigning { get; }

    /// <summary>Alice's encryption certificate: keyEncipherment only.</summary>
    public byte[] AliceEncryption { get; }

    /// <summary>Bob's P-256 certificate: digitalSignature and keyAgreement.</summary>
    public byte[] Bob { get; }

    /// <summary>A PKCS #12 file with one key entry whose chain is <paramref name="chain"/> (the key's certificate first).</summary>
    public byte[] Pfx(string password, AsymmetricKeyParameter key, params byte[][] chain) =>
        Pfx(password, new[] { (key, chain) }, Array.Empty<byte[]>());

    /// <summary>A PKCS #12 file with key entries and extra certificate entries.</summary>
    public byte[] Pfx(string password, IEnumerable<(AsymmetricKeyParameter Key, byte[][] Chain)> keys, IEnumerable<byte[]> certificates)
    {
        Pkcs12Store store = new Pkcs12StoreBuilder().Build();
        int index = 0;
        foreach ((AsymmetricKeyParameter key, byte[][] chain) in keys)
        {
            store.SetKeyEntry(
                "key" + index++,
                new AsymmetricKeyEntry(key),
                chain.Select(certificate => new X509CertificateEntry(new X509CertificateParser().ReadCertificate(certificate))).ToArray());
        }

        foreach (byte[] certificate in certificates)
        {
            store.SetCertificateEntry("cert" + index++, new X509CertificateEntry(new X509CertificateParser().ReadCertificate(certificate)));
        }

        using var buffer = new MemoryStream();
        store.Save(buffer, password.ToCharArray(), _random);
        return buffer.ToArray();
    }

    /// <summary>A self-signed version 1 root: no extensions, hence no key identifier to match a child by.</summary>
    public byte[] V1Root(string name, AsymmetricCipherKeyPair key, long serial)
    {
        var generator = new X509V1CertificateGenerator();
        generator.SetSerialNumber(BigInteger.ValueOf(serial));
        generator.SetSubjectDN(new X509Name(name));
        generator.SetIssuerDN(new X509Name(name));
        generator.SetNotBefore(TestPki.NotBefore);
        generator.SetNotAfter(TestPki.NotAfter);
        generator.SetPublicKey(key.Public);
        return generator.Generate(new Asn1SignatureFactory("SHA256WITHRSA", key.Private, _random)).GetEncoded();
    }

    private byte[] Issue(string subject, string email, AsymmetricKeyParameter publicKey, int keyUsage, long serial)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(BigInteger.ValueOf(serial));
        generator.SetSubjectDN(new X509Name(subject));
        generator.SetIssuerDN(new X509Name(TestPki.IntermediateName));
        generator.SetNotBefore(TestPki.NotBefore);
        generator.SetNotAfter(TestPki.NotAfter);
        generator.SetPublicKey(publicKey);
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(keyUsage));
        generator.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_emailProtection));
        generator.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.Rfc822Name, email)));
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, X509ExtensionUtilities.CreateAuthorityKeyIdentifier(Ca.IntermediateKey.Public));
        return generator.Generate(new Asn1SignatureFactory("SHA256WITHRSA", Ca.IntermediateKey.Private, _random)).GetEncoded();
    }
}
