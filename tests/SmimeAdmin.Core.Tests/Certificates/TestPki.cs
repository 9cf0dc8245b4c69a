using System;
using System.Collections.Generic;
using System.IO;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace SmimeAdmin.Core.Tests.Certificates;

/// <summary>
/// A small CA hierarchy made with BouncyCastle for the tests: an RSA root and intermediate, a version 1 root, an EC
/// root, a non-CA leaf, and certificates whose issuer is missing or whose signature is from the wrong key. Keys come
/// from a seeded generator, so the hierarchy is the same on every run; it is built once per test process.
/// </summary>
internal sealed class TestPki
{
    public const string RootName = "C=US,O=Contoso,CN=Test Root CA";
    public const string IntermediateName = "C=US,O=Contoso,CN=Test Intermediate CA";

    public static readonly DateTime NotBefore = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime NotAfter = new(2035, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly Lazy<TestPki> s_instance = new(() => new TestPki());

    private readonly SecureRandom _random;

    private TestPki()
    {
        _random = TestKeys.SeededRandom(20261128L);

        RootKey = TestKeys.NewRsa(_random);
        IntermediateKey = TestKeys.NewRsa(_random);
        AsymmetricCipherKeyPair v1Key = TestKeys.NewRsa(_random);
        AsymmetricCipherKeyPair leafKey = TestKeys.NewRsa(_random);
        AsymmetricCipherKeyPair ecKey = TestKeys.NewEc(_random, "secp384r1");

        OtherKey = TestKeys.NewRsa(_random);

        Root = IssueV3(RootName, RootName, RootKey.Public, RootKey, "SHA256WITHRSA", ca: true, pathLength: null, serial: 0x0100AB);
        Intermediate = IssueV3(IntermediateName, RootName, IntermediateKey.Public, RootKey, "SHA256WITHRSA", ca: true, pathLength: 0, serial: 0x80);
        V1Root = IssueV1("O=Contoso,CN=Test V1 Root", v1Key, "SHA1WITHRSA");
        Leaf = IssueV3("O=Contoso,CN=alice@contoso.com", IntermediateName, leafKey.Public, IntermediateKey, "SHA256WITHRSA", ca: false, pathLength: null, serial: 7);
        EcRoot = IssueV3("O=Contoso,CN=Test EC Root", "O=Contoso,CN=Test EC Root", ecKey.Public, ecKey, "SHA384WITHECDSA", ca: true, pathLength: 1, serial: 9);
        OrphanIntermediate = IssueV3("O=Contoso,CN=Orphan Intermediate CA", "O=Contoso,CN=Missing Root", OtherKey.Public, OtherKey, "SHA256WITHRSA", ca: true, pathLength: null, serial: 11);
        ImpostorIntermediate = IssueV3("C=US,O=Contoso,CN=Impostor Intermediate CA", RootName, OtherKey.Public, OtherKey, "SHA256WITHRSA", ca: true, pathLength: null, serial: 12);
    }

    public static TestPki Instance => s_instance.Value;

    public AsymmetricCipherKeyPair RootKey { get; }

    public AsymmetricCipherKeyPair IntermediateKey { get; }

    public AsymmetricCipherKeyPair OtherKey { get; }

    /// <summary>Self-signed v3 RSA root, CA:TRUE without a path length.</summary>
    public byte[] Root { get; }

    /// <summary>Issued by <see cref="Root"/>, CA:TRUE, pathlen 0.</summary>
    public byte[] Intermediate { get; }

    /// <summary>Self-signed version 1 root (no extensions), sha1RSA.</summary>
    public byte[] V1Root { get; }

    /// <summary>End-entity certificate issued by <see cref="Intermediate"/>, CA:FALSE.</summary>
    public byte[] Leaf { get; }

    /// <summary>Self-signed P-384 root, sha384ECDSA, pathlen 1.</summary>
    public byte[] EcRoot { get; }

    /// <summary>CA certificate whose issuer ("CN=Missing Root") is in no collection.</summary>
    public byte[] OrphanIntermediate { get; }

    /// <summary>Names <see cref="Root"/> as its issuer but is signed with another key.</summary>
    public byte[] ImpostorIntermediate { get; }

    /// <summary>The certificates every format test round-trips.</summary>
    public IReadOnlyList<byte[]> All => new[] { Root, Intermediate, V1Root, Leaf, EcRoot };

    /// <summary>
    /// A syntactically valid, self-issued CA certificate with a placeholder signature: cheap enough to make tens of
    /// thousands for timing tests, where signatures are never checked.
    /// </summary>
    public byte[] Unsigned(int index)
    {
        var name = new X509Name("O=Synthetic,CN=Synthetic Root " + index);
        var tbs = new V3TbsCertificateGenerator();
        tbs.SetSerialNumber(DerInteger.ValueOf(index + 1));
        tbs.SetSignature(new AlgorithmIdentifier(PkcsObjectIdentifiers.Sha256WithRsaEncryption, DerNull.Instance));
        tbs.SetIssuer(name);
        tbs.SetSubject(name);
        tbs.SetStartDate(new Time(NotBefore));
        tbs.SetEndDate(new Time(NotAfter));
        tbs.SetSubjectPublicKeyInfo(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(RootKey.Public));
        var extensions = new X509ExtensionsGenerator();
        extensions.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(true));
        tbs.SetExtensions(extensions.Generate());
        var structure = new X509CertificateStructure(
            tbs.GenerateTbsCertificate(),
            new AlgorithmIdentifier(PkcsObjectIdentifiers.Sha256WithRsaEncryption, DerNull.Instance),
            new DerBitString(new byte[256]));
        return structure.GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>Issues a v3 certificate.</summary>
    public byte[] IssueV3(
        string subject,
        string issuer,
        AsymmetricKeyParameter subjectKey,
        AsymmetricCipherKeyPair issuerKey,
        string signatureAlgorithm,
        bool ca,
        int? pathLength,
        long serial)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(BigInteger.ValueOf(serial));
        generator.SetSubjectDN(new X509Name(subject));
        generator.SetIssuerDN(new X509Name(issuer));
        generator.SetNotBefore(NotBefore);
        generator.SetNotAfter(NotAfter);
        generator.SetPublicKey(subjectKey);
        generator.AddExtension(
            X509Extensions.BasicConstraints,
            true,
            ca ? (pathLength is int length ? new BasicConstraints(length) : new BasicConstraints(true)) : new BasicConstraints(false));
        generator.AddExtension(
            X509Extensions.SubjectKeyIdentifier,
            false,
            X509ExtensionUtilities.CreateSubjectKeyIdentifier(subjectKey));
        generator.AddExtension(
            X509Extensions.AuthorityKeyIdentifier,
            false,
            X509ExtensionUtilities.CreateAuthorityKeyIdentifier(issuerKey.Public));
        return generator.Generate(new Asn1SignatureFactory(signatureAlgorithm, issuerKey.Private, _random)).GetEncoded();
    }

    private byte[] IssueV1(string name, AsymmetricCipherKeyPair key, string signatureAlgorithm)
    {
        var generator = new X509V1CertificateGenerator();
        generator.SetSerialNumber(BigInteger.ValueOf(3));
        generator.SetSubjectDN(new X509Name(name));
        generator.SetIssuerDN(new X509Name(name));
        generator.SetNotBefore(NotBefore);
        generator.SetNotAfter(NotAfter);
        generator.SetPublicKey(key.Public);
        return generator.Generate(new Asn1SignatureFactory(signatureAlgorithm, key.Private, _random)).GetEncoded();
    }
}

/// <summary>Where the shared test data lives: <c>shared/testdata</c> beside the repository.</summary>
internal static class TestData
{
    private static readonly Lazy<byte[]> s_windowsRoots = new(() => File.ReadAllBytes(Find("windows-roots.sst")));

    /// <summary>The content of windows-roots.sst (read once; callers must not modify it).</summary>
    public static byte[] WindowsRoots => s_windowsRoots.Value;

    /// <summary>Looks for <c>shared/testdata/<paramref name="name"/></c> in the folders above the test assembly.</summary>
    public static string Find(string name)
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "shared", "testdata", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("shared/testdata/" + name + " was not found above " + AppContext.BaseDirectory);
    }
}
