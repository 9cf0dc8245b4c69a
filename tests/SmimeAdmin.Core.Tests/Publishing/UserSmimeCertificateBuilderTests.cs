using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Smime;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.X509;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Tests.Certificates;
using Xunit;
using BcAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;

namespace SmimeAdmin.Core.Tests.Publishing;

public sealed class UserSmimeCertificateBuilderTests : IDisposable
{
    private static readonly DateTime s_signingTime = new(2026, 11, 28, 16, 30, 12, DateTimeKind.Utc);

    // In ordinal order of their OIDs.
    private static readonly string[] s_publishedAttributes =
    {
        "1.2.840.113549.1.9.15", // SMIMECapabilities
        "1.2.840.113549.1.9.16.2.11", // SMIMEEncryptionKeyPreference
        "1.2.840.113549.1.9.3", // contentType
        "1.2.840.113549.1.9.4", // messageDigest
        "1.2.840.113549.1.9.5", // signingTime
        "1.3.6.1.4.1.311.16.4", // Microsoft encryption-key preference
    };

    private readonly TempFolder _folder = new();

    private static PublishingPki Users => PublishingPki.Instance;

    private static TestPki Ca => TestPki.Instance;

    public static TheoryData<bool, bool, bool, bool> ChainSettings => new()
    {
        // withoutRoot, andRoot => intermediate expected, root expected
        { false, false, false, false },
        { true, false, true, false },
        { false, true, true, true },
        { true, true, true, true },
    };

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OpenSsl_parses_the_blob_as_cms_and_lists_its_certificates(bool withKey)
    {
        string path = Save(Build(settings: WithChain(andRoot: true), withKey: withKey));

        string cms = OpenSsl.Run("cms", "-cmsout", "-print", "-inform", "DER", "-in", path);
        string certificates = OpenSsl.Run("pkcs7", "-print_certs", "-inform", "DER", "-in", path);

        Assert.Contains("contentType: pkcs7-signedData", cms, StringComparison.Ordinal);
        Assert.Contains("eContentType: pkcs7-data", cms, StringComparison.Ordinal);
        Assert.Contains("eContent: <ABSENT>", cms, StringComparison.Ordinal);
        Assert.Equal(withKey, cms.Contains("d.issuerAndSerialNumber:", StringComparison.Ordinal));
        Assert.Equal(withKey, cms.Contains("object: S/MIME Capabilities (1.2.840.113549.1.9.15)", StringComparison.Ordinal));
        Assert.Equal(withKey, cms.Contains("object: id-smime-aa-encrypKeyPref (1.2.840.113549.1.9.16.2.11)", StringComparison.Ordinal));
        foreach (string subject in new[] { "CN = Alice Signing", "CN = Alice Encryption", "CN = Test Intermediate CA", "CN = Test Root CA" })
        {
            Assert.Contains(subject + "\n", certificates, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_signature_verifies_with_the_signing_certificate_over_the_empty_detached_content()
    {
        byte[] blob = Build();

        var data = new CmsSignedData(new CmsProcessableByteArray(Array.Empty<byte>()), blob);
        SignerInformation signer = Assert.Single(data.GetSignerInfos().GetSigners());

        Assert.True(signer.Verify(new X509CertificateParser().ReadCertificate(Users.AliceSigning)));
        Assert.Null(new CmsSignedData(blob).SignedContent);
        Assert.Equal(new X509CertificateParser().ReadCertificate(Users.AliceSigning).SerialNumber, signer.SignerID.SerialNumber);
        Assert.True(UserSmimeCertificateReader.VerifySignature(blob));
    }

    [Fact]
    public void A_changed_blob_no_longer_verifies()
    {
        byte[] blob = Build();
        int signatureByte = blob.Length - 10;
        blob[signatureByte] ^= 0x01;

        Assert.False(UserSmimeCertificateReader.VerifySignature(blob));
    }

    [Fact]
    public void The_signed_attributes_are_exactly_the_published_set()
    {
        SignerInformation signer = Signer(Build());

        IEnumerable<string> oids = signer.SignedAttributes.ToAsn1EncodableVector()
            .Select(attribute => BcAttribute.GetInstance(attribute).AttrType.Id)
            .OrderBy(oid => oid, StringComparer.Ordinal);

        Assert.Equal(s_publishedAttributes, oids);
        Assert.Equal(CmsObjectIdentifiers.Data, DerObjectIdentifier.GetInstance(Attribute(signer, CmsAttributes.ContentType)));
        Assert.Equal(s_signingTime, Time.GetInstance(Attribute(signer, CmsAttributes.SigningTime)).ToDateTime().ToUniversalTime());
    }

    [Theory]
    [InlineData("6610", new[] { "2.16.840.1.101.3.4.1.42" }, new[] { -1 })]
    [InlineData("6602:40;6610;6603;660E", new[] { "1.2.840.113549.3.2", "2.16.840.1.101.3.4.1.42", "1.2.840.113549.3.7", "2.16.840.1.101.3.4.1.2" }, new[] { 40, -1, -1, -1 })]
    [InlineData("660F;6602;6601", new[] { "2.16.840.1.101.3.4.1.22", "1.2.840.113549.3.2", "1.3.14.3.2.7" }, new[] { -1, 128, -1 })]
    [InlineData("6603,1.2.3.4.5;6602:64", new[] { "1.2.3.4.5", "1.2.840.113549.3.2" }, new[] { -1, 64 })]
    [InlineData("not a list", new[] { "2.16.840.1.101.3.4.1.42" }, new[] { -1 })]
    public void SmimeCapabilities_lists_the_encryption_algorithms_in_order_with_rc2_key_bits(string algorithms, string[] oids, int[] keyBits)
    {
        var settings = new SmimeSettings { OWAEncryptionAlgorithms = algorithms };

        Asn1Sequence capabilities = Asn1Sequence.GetInstance(Attribute(Signer(Build(settings)), SmimeAttributes.SmimeCapabilities));

        SmimeCapability[] parsed = capabilities.Cast<Asn1Encodable>().Select(SmimeCapability.GetInstance).ToArray();
        Assert.Equal(oids, parsed.Select(capability => capability.CapabilityID.Id));
        Assert.Equal(keyBits, parsed.Select(capability => capability.Parameters is DerInteger bits ? bits.IntValueExact : -1));
        Assert.Equal(
            oids.Zip(keyBits, (oid, bits) => bits < 0 ? oid : oid + ":" + bits),
            UserSmimeCertificateReader.Read(Build(settings)).Capabilities.Select(capability => capability.ToString()));
    }

    [Fact]
    public void Both_encryption_key_preferences_name_the_encryption_only_certificate()
    {
        SignerInformation signer = Signer(Build());
        X509Certificate encryption = new X509CertificateParser().ReadCertificate(Users.AliceEncryption);

        var standard = IssuerAndSerialNumber.GetInstance(
            Asn1TaggedObject.GetInstance(Attribute(signer, SmimeAttributes.EncrypKeyPref)), false);
        var microsoft = IssuerAndSerialNumber.GetInstance(Attribute(signer, new DerObjectIdentifier("1.3.6.1.4.1.311.16.4")));

        foreach (IssuerAndSerialNumber preference in new[] { standard, microsoft })
        {
            Assert.Equal(encryption.SerialNumber, preference.SerialNumber.Value);
            Assert.True(encryption.IssuerDN.Equivalent(preference.Issuer));
        }
    }

    [Fact]
    public void A_single_dual_use_certificate_is_its_own_encryption_preference_and_ec_keys_sign_with_ecdsa()
    {
        byte[] blob = UserSmimeCertificateBuilder.Build(
            new[] { Users.Bob },
            Array.Empty<byte[]>(),
            new SmimeSettings(),
            new SmimeSigningKey(Users.BobKey.Private, Users.Bob),
            s_signingTime);

        UserSmimeCertificateInfo info = UserSmimeCertificateReader.Read(blob);

        Assert.True(UserSmimeCertificateReader.VerifySignature(blob));
        Assert.Equal(Users.Bob, info.EncryptionCertificate);
        Assert.Equal(Users.Bob, info.SignerCertificate);
        Assert.Equal("1.2.840.10045.4.3.2", Signer(blob).SignatureAlgorithm.Algorithm.Id);
    }

    [Theory]
    [InlineData("8004", "2.16.840.1.101.3.4.2.1")]
    [InlineData("8003;8004", "2.16.840.1.101.3.4.2.1")]
    [InlineData("8004;800D;800C", "2.16.840.1.101.3.4.2.2")]
    [InlineData("800E", "2.16.840.1.101.3.4.2.3")]
    public void The_digest_is_the_first_strong_signing_algorithm_else_sha256(string signingAlgorithms, string digestOid)
    {
        byte[] blob = Build(new SmimeSettings { OWASigningAlgorithms = signingAlgorithms });

        Assert.Equal(digestOid, Signer(blob).DigestAlgorithmID.Algorithm.Id);
        Assert.Equal(digestOid, UserSmimeCertificateReader.Read(blob).DigestAlgorithmOid);
    }

    [Theory]
    [MemberData(nameof(ChainSettings))]
    public void The_chain_is_included_as_the_settings_say(bool withoutRoot, bool andRoot, bool intermediateExpected, bool rootExpected)
    {
        foreach (bool withKey in new[] { true, false })
        {
            IReadOnlyList<byte[]> carried = UserSmimeCertificateReader.ReadCertificates(Build(WithChain(withoutRoot, andRoot), withKey));

            Assert.Contains(Users.AliceSigning, carried);
            Assert.Contains(Users.AliceEncryption, carried);
            Assert.Equal(intermediateExpected, carried.Any(certificate => certificate.AsSpan().SequenceEqual(Ca.Intermediate)));
            Assert.Equal(rootExpected, carried.Any(certificate => certificate.AsSpan().SequenceEqual(Ca.Root)));
            Assert.Equal(2 + (intermediateExpected ? 1 : 0) + (rootExpected ? 1 : 0), carried.Count);
        }
    }

    [Fact]
    public void Chain_certificates_that_are_not_on_a_users_chain_are_left_out()
    {
        // Same name as the intermediate, another key: the key identifiers tell it apart.
        byte[] renamedImpostor = Ca.IssueV3(TestPki.IntermediateName, TestPki.RootName, Ca.OtherKey.Public, Ca.RootKey, "SHA256WITHRSA", ca: true, pathLength: 0, serial: 0x81);
        byte[][] chain = { Ca.EcRoot, Ca.ImpostorIntermediate, Ca.OrphanIntermediate, renamedImpostor, Ca.Intermediate, Ca.Root };

        IReadOnlyList<byte[]> carried = UserSmimeCertificateReader.ReadCertificates(
            UserSmimeCertificateBuilder.Build(new[] { Users.AliceSigning }, chain, WithChain(andRoot: true), null, s_signingTime));

        Assert.Equal(3, carried.Count);
        Assert.Contains(Ca.Intermediate, carried);
        Assert.Contains(Ca.Root, carried);
    }

    [Fact]
    public void Without_key_identifiers_the_issuer_is_the_one_whose_key_verifies_the_signature()
    {
        const string Name = "O=Fabrikam,CN=Fabrikam V1 Root";
        byte[] root = Users.V1Root(Name, Ca.OtherKey, 31);
        byte[] decoy = Users.V1Root(Name, Ca.IntermediateKey, 32);
        byte[] user = Ca.IssueV3("O=Fabrikam,CN=Carol", Name, Users.BobKey.Public, Ca.OtherKey, "SHA256WITHRSA", ca: false, pathLength: null, serial: 33);

        IReadOnlyList<byte[]> carried = UserSmimeCertificateReader.ReadCertificates(
            UserSmimeCertificateBuilder.Build(new[] { user }, new[] { decoy, root }, WithChain(andRoot: true), null, s_signingTime));

        Assert.Equal(2, carried.Count);
        Assert.Contains(root, carried);
    }

    [Fact]
    public void Without_a_key_the_blob_is_certs_only_with_the_exact_certificate_bytes()
    {
        byte[] blob = Build(withKey: false);

        UserSmimeCertificateInfo info = UserSmimeCertificateReader.Read(blob);

        Assert.False(info.IsSigned);
        Assert.Empty(new CmsSignedData(blob).GetSignerInfos().GetSigners());
        Assert.Empty(info.Capabilities);
        Assert.Null(info.SigningTimeUtc);
        Assert.Equal(new[] { Users.AliceSigning, Users.AliceEncryption }.OrderBy(Convert.ToBase64String), info.Certificates.OrderBy(Convert.ToBase64String));
        Assert.Equal(blob, CertificateFile.WritePkcs7(new[] { Users.AliceSigning, Users.AliceEncryption }));
        Assert.False(UserSmimeCertificateReader.VerifySignature(blob));
    }

    [Fact]
    public void A_key_whose_certificate_is_not_among_the_users_is_refused()
    {
        var key = new SmimeSigningKey(Users.BobKey.Private, Users.Bob);

        ArgumentException error = Assert.Throws<ArgumentException>(() =>
            UserSmimeCertificateBuilder.Build(new[] { Users.AliceSigning }, Array.Empty<byte[]>(), new SmimeSettings(), key, s_signingTime));

        Assert.Equal("key", error.ParamName);
        Assert.Contains(key.CertificateThumbprint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_paired_with_the_wrong_certificate_is_refused_instead_of_publishing_a_bad_signature()
    {
        var key = new SmimeSigningKey(Users.AliceEncryptionKey.Private, Users.AliceSigning);

        ArgumentException error = Assert.Throws<ArgumentException>(() =>
            UserSmimeCertificateBuilder.Build(new[] { Users.AliceSigning }, Array.Empty<byte[]>(), new SmimeSettings(), key, s_signingTime));

        Assert.Equal("key", error.ParamName);
    }

    [Fact]
    public void Build_checks_its_arguments()
    {
        var settings = new SmimeSettings();
        byte[][] none = Array.Empty<byte[]>();

        Assert.Equal("userCertificates", Assert.Throws<ArgumentNullException>(() => UserSmimeCertificateBuilder.Build(null!, none, settings, null, s_signingTime)).ParamName);
        Assert.Equal("chain", Assert.Throws<ArgumentNullException>(() => UserSmimeCertificateBuilder.Build(new[] { Users.Bob }, null!, settings, null, s_signingTime)).ParamName);
        Assert.Equal("settings", Assert.Throws<ArgumentNullException>(() => UserSmimeCertificateBuilder.Build(new[] { Users.Bob }, none, null!, null, s_signingTime)).ParamName);
        Assert.Equal("userCertificates", Assert.Throws<ArgumentException>(() => UserSmimeCertificateBuilder.Build(none, none, settings, null, s_signingTime)).ParamName);
        Assert.Equal("chain", Assert.Throws<ArgumentException>(() => UserSmimeCertificateBuilder.Build(new[] { Users.Bob }, new[] { new byte[] { 0x30, 0x00 } }, settings, null, s_signingTime)).ParamName);
    }

    [Fact]
    public void The_reader_refuses_what_is_not_a_signed_data()
    {
        Assert.Throws<CertificateFormatException>(() => UserSmimeCertificateReader.Read(Users.Bob));
        Assert.Throws<CertificateFormatException>(() => UserSmimeCertificateReader.ReadCertificates(new byte[] { 0x04, 0x00 }));
        Assert.Equal("blob", Assert.Throws<ArgumentNullException>(() => UserSmimeCertificateReader.Read(null!)).ParamName);
    }

    private static SmimeSettings WithChain(bool withoutRoot = false, bool andRoot = false) => new()
    {
        OWAIncludeCertificateChainWithoutRootCertificate = withoutRoot,
        OWAIncludeCertificateChainAndRootCertificate = andRoot,
    };

    private static byte[] Build(SmimeSettings? settings = null, bool withKey = true) =>
        UserSmimeCertificateBuilder.Build(
            new[] { Users.AliceSigning, Users.AliceEncryption },
            new[] { Ca.Root, Ca.Intermediate },
            settings ?? new SmimeSettings(),
            withKey ? new SmimeSigningKey(Users.AliceSigningKey.Private, Users.AliceSigning) : null,
            s_signingTime);

    private static SignerInformation Signer(byte[] blob) => Assert.Single(new CmsSignedData(blob).GetSignerInfos().GetSigners());

    private static Asn1Encodable Attribute(SignerInformation signer, DerObjectIdentifier type) =>
        Assert.Single(signer.SignedAttributes.GetAll(type).Select(BcAttribute.GetInstance)).AttrValues[0];

    private string Save(byte[] blob)
    {
        string path = _folder.Combine(Guid.NewGuid().ToString("N") + ".p7s");
        File.WriteAllBytes(path, blob);
        return path;
    }
}
