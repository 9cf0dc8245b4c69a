using System;
using System.Collections.Generic;
using System.Threading;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using SmimeAdmin.Core.Tests.Certificates;

namespace SmimeAdmin.Core.Tests.Validation;

/// <summary>What a test certificate looks like; the defaults make a good S/MIME user certificate for alice@contoso.com.</summary>
internal sealed record CertificateOptions
{
    public const string EmailProtection = "1.3.6.1.5.5.7.3.4";
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string AnyExtendedKeyUsage = "2.5.29.37.0";

    public string Subject { get; init; } = "O=Contoso,CN=Alice";

    /// <summary>The subject's key; <see langword="null"/> for the shared RSA user key.</summary>
    public AsymmetricKeyParameter? PublicKey { get; init; }

    public DateTime NotBefore { get; init; } = TestPki.NotBefore;

    public DateTime NotAfter { get; init; } = TestPki.NotAfter;

    /// <summary>basicConstraints cA; <see langword="null"/> leaves the extension out.</summary>
    public bool? IsCa { get; init; } = false;

    public int? PathLength { get; init; }

    /// <summary>BouncyCastle <see cref="KeyUsage"/> bits; <see langword="null"/> leaves the extension out.</summary>
    public int? KeyUsage { get; init; } = Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature | Org.BouncyCastle.Asn1.X509.KeyUsage.KeyEncipherment;

    /// <summary>extendedKeyUsage OIDs; <see langword="null"/> leaves the extension out.</summary>
    public IReadOnlyList<string>? ExtendedKeyUsages { get; init; } = new[] { EmailProtection };

    /// <summary>The raw extnValue of extendedKeyUsage, to make it malformed; overrides <see cref="ExtendedKeyUsages"/>.</summary>
    public byte[]? RawExtendedKeyUsage { get; init; }

    /// <summary>subjectAltName rfc822Name entries.</summary>
    public IReadOnlyList<string> Emails { get; init; } = new[] { "alice@contoso.com" };

    /// <summary>subjectAltName SmtpUTF8Mailbox otherName entries (RFC 9598).</summary>
    public IReadOnlyList<string> Utf8Mailboxes { get; init; } = Array.Empty<string>();

    public IReadOnlyList<Uri> CrlUris { get; init; } = Array.Empty<Uri>();

    /// <summary>Signs with this key instead of the issuer's, to forge a signature.</summary>
    public AsymmetricCipherKeyPair? SignWith { get; init; }

    /// <summary>The defaults for a CA certificate: cA, keyCertSign and cRLSign, no EKU, no address.</summary>
    public static CertificateOptions Authority(string subject, AsymmetricKeyParameter key) => new()
    {
        Subject = subject,
        PublicKey = key,
        IsCa = true,
        KeyUsage = Org.BouncyCastle.Asn1.X509.KeyUsage.KeyCertSign | Org.BouncyCastle.Asn1.X509.KeyUsage.CrlSign,
        ExtendedKeyUsages = null,
        Emails = Array.Empty<string>(),
    };
}

/// <summary>A test CA: its name, key and certificate; it issues certificates and CRLs.</summary>
internal sealed class TestAuthority
{
    private static long s_serial = 1000;

    private TestAuthority(string name, AsymmetricCipherKeyPair key, byte[] certificate)
    {
        Name = name;
        Key = key;
        Certificate = certificate;
    }

    public string Name { get; }

    public AsymmetricCipherKeyPair Key { get; }

    public byte[] Certificate { get; }

    public static TestAuthority SelfSigned(string name, AsymmetricCipherKeyPair key, Func<CertificateOptions, CertificateOptions>? adjust = null)
    {
        CertificateOptions options = CertificateOptions.Authority(name, key.Public);
        options = adjust is null ? options : adjust(options);
        return new TestAuthority(name, key, Generate(options, name, key));
    }

    /// <summary>A subordinate CA, with the CA defaults changed by <paramref name="adjust"/>.</summary>
    public TestAuthority Subordinate(string name, AsymmetricCipherKeyPair key, Func<CertificateOptions, CertificateOptions>? adjust = null)
    {
        CertificateOptions options = CertificateOptions.Authority(name, key.Public);
        options = adjust is null ? options : adjust(options);
        return new TestAuthority(name, key, Issue(options));
    }

    public byte[] Issue(CertificateOptions options) => Generate(options, Name, Key);

    /// <summary>A CRL of this CA listing <paramref name="revoked"/>, issued a day before <paramref name="now"/>.</summary>
    public byte[] Crl(DateTime now, TimeSpan validFor, IEnumerable<byte[]>? revoked = null, AsymmetricCipherKeyPair? signWith = null, string? issuerName = null)
    {
        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(new X509Name(issuerName ?? Name));
        generator.SetThisUpdate(now.AddDays(-1));
        generator.SetNextUpdate(now.Add(validFor));
        foreach (byte[] certificate in revoked ?? Array.Empty<byte[]>())
        {
            generator.AddCrlEntry(new X509CertificateParser().ReadCertificate(certificate).SerialNumber, now.AddDays(-2), CrlReason.KeyCompromise);
        }

        generator.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(BigInteger.One));
        return generator.Generate(new Asn1SignatureFactory("SHA256WITHRSA", (signWith ?? Key).Private)).GetEncoded();
    }

    private static byte[] Generate(CertificateOptions options, string issuerName, AsymmetricCipherKeyPair issuerKey)
    {
        AsymmetricKeyParameter subjectKey = options.PublicKey ?? ValidationKeys.User.Public;
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(BigInteger.ValueOf(Interlocked.Increment(ref s_serial)));
        generator.SetSubjectDN(new X509Name(options.Subject));
        generator.SetIssuerDN(new X509Name(issuerName));
        generator.SetNotBefore(options.NotBefore);
        generator.SetNotAfter(options.NotAfter);
        generator.SetPublicKey(subjectKey);
        if (options.IsCa is bool ca)
        {
            generator.AddExtension(X509Extensions.BasicConstraints, true, !ca ? new BasicConstraints(false) : options.PathLength is int length ? new BasicConstraints(length) : new BasicConstraints(true));
        }

        if (options.KeyUsage is int usage)
        {
            generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(usage));
        }

        if (options.RawExtendedKeyUsage is byte[] raw)
        {
            generator.AddExtension(X509Extensions.ExtendedKeyUsage, false, raw);
        }
        else if (options.ExtendedKeyUsages is { } purposes)
        {
            var oids = new List<DerObjectIdentifier>();
            foreach (string purpose in purposes)
            {
                oids.Add(new DerObjectIdentifier(purpose));
            }

            generator.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(oids));
        }

        var names = new List<GeneralName>();
        foreach (string email in options.Emails)
        {
            names.Add(new GeneralName(GeneralName.Rfc822Name, email));
        }

        foreach (string mailbox in options.Utf8Mailboxes)
        {
            names.Add(new GeneralName(GeneralName.OtherName, new OtherName(new DerObjectIdentifier("1.3.6.1.5.5.7.8.9"), new DerUtf8String(mailbox))));
        }

        if (names.Count > 0)
        {
            generator.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(names.ToArray()));
        }

        if (options.CrlUris.Count > 0)
        {
            var points = new List<DistributionPoint>();
            foreach (Uri uri in options.CrlUris)
            {
                var name = new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.UniformResourceIdentifier, uri.AbsoluteUri)));
                points.Add(new DistributionPoint(name, null, null));
            }

            generator.AddExtension(X509Extensions.CrlDistributionPoints, false, new CrlDistPoint(points.ToArray()));
        }

        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(subjectKey));
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, X509ExtensionUtilities.CreateAuthorityKeyIdentifier(issuerKey.Public));
        AsymmetricCipherKeyPair signer = options.SignWith ?? issuerKey;
        string algorithm = signer.Private is ECPrivateKeyParameters ? "SHA256WITHECDSA" : "SHA256WITHRSA";
        return generator.Generate(new Asn1SignatureFactory(algorithm, signer.Private)).GetEncoded();
    }
}

/// <summary>
/// Keys for the validation tests: the CA keys of <see cref="TestPki"/> (generated once per test run) and user keys
/// of each algorithm the usage checks distinguish.
/// </summary>
internal static class ValidationKeys
{
    private static readonly Lazy<AsymmetricCipherKeyPair> s_user = new(() => TestKeys.NewRsa(TestKeys.SeededRandom(8550), 1024));
    private static readonly Lazy<AsymmetricCipherKeyPair> s_userEc = new(() => TestKeys.NewEc(TestKeys.SeededRandom(8551)));
    private static readonly Lazy<AsymmetricCipherKeyPair> s_userEd25519 = new(() => NewEd25519());

    public static AsymmetricCipherKeyPair Root => TestPki.Instance.RootKey;

    public static AsymmetricCipherKeyPair Intermediate => TestPki.Instance.IntermediateKey;

    public static AsymmetricCipherKeyPair Other => TestPki.Instance.OtherKey;

    public static AsymmetricCipherKeyPair User => s_user.Value;

    public static AsymmetricCipherKeyPair UserEc => s_userEc.Value;

    public static AsymmetricCipherKeyPair UserEd25519 => s_userEd25519.Value;

    private static AsymmetricCipherKeyPair NewEd25519()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(TestKeys.SeededRandom(8552)));
        return generator.GenerateKeyPair();
    }
}

/// <summary>
/// The hierarchy most validation tests share: a root and an intermediate (both in the organization's collection by
/// default) and a clock fixed inside their validity.
/// </summary>
internal static class ValidationPki
{
    public const string RootName = "C=US,O=Contoso,CN=Validation Root CA";
    public const string IntermediateName = "C=US,O=Contoso,CN=Validation Intermediate CA";

    public static readonly DateTime Now = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private static readonly Lazy<TestAuthority> s_root = new(() => TestAuthority.SelfSigned(RootName, ValidationKeys.Root));
    private static readonly Lazy<TestAuthority> s_intermediate = new(() => Root.Subordinate(IntermediateName, ValidationKeys.Intermediate));

    public static TestAuthority Root => s_root.Value;

    public static TestAuthority Intermediate => s_intermediate.Value;
}
