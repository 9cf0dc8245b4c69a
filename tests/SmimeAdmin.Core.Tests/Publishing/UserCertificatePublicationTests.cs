using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Tests.Certificates;
using SmimeAdmin.Core.Validation;
using Xunit;

namespace SmimeAdmin.Core.Tests.Publishing;

public sealed class UserCertificatePublicationTests : IDisposable
{
    private const string Contoso = "Contoso";
    private const string Alice = "alice@contoso.com";
    private static readonly DateTime s_firstPublication = new(2026, 11, 28, 9, 0, 0, DateTimeKind.Utc);
    private static readonly SmimeAuditContext s_context = new(@"CONTOSO\admin", "ws01", "Publish-SmimeUserCertificate");

    private readonly TempFolder _folder = new();

    private static PublishingPki Users => PublishingPki.Instance;

    private static TestPki Ca => TestPki.Instance;

    private static byte[] AlicePfx => Users.Pfx(
        PublishingPki.Password,
        new[]
        {
            (Users.AliceSigningKey.Private, new[] { Users.AliceSigning, Ca.Intermediate, Ca.Root }),
            (Users.AliceEncryptionKey.Private, new[] { Users.AliceEncryption, Ca.Intermediate, Ca.Root }),
        },
        Array.Empty<byte[]>());

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Publishing_a_pfx_stores_the_certificates_and_a_signed_blob_and_never_a_private_key()
    {
        byte[] pfx = AlicePfx;

        SmimeRecipientUpdateResult result = Publish(pfx, PublishingPki.Password, new SmimeSettings(), s_firstPublication);

        SmimeRecipient stored = new FileSmimeStore(_folder.Path).ReadRecipient(Contoso, Alice)!;
        Assert.Equal(result.Recipient!.UserCertificates, stored.UserCertificates);
        Assert.Equal(new[] { Users.AliceSigning, Users.AliceEncryption }, stored.UserCertificates);
        UserSmimeCertificateInfo blob = UserSmimeCertificateReader.Read(Assert.Single(stored.UserSmimeCertificates));
        Assert.True(blob.IsSigned);
        Assert.Equal(Users.AliceSigning, blob.SignerCertificate);
        Assert.Equal(Users.AliceEncryption, blob.EncryptionCertificate);

        byte[][] secrets = Secrets(Users.AliceSigningKey.Private).Concat(Secrets(Users.AliceEncryptionKey.Private)).Append(pfx).ToArray();
        List<string> files = Directory.EnumerateFiles(_folder.Path, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, file => file.EndsWith("alice@contoso.com.json", StringComparison.Ordinal));
        foreach (string file in files)
        {
            foreach (byte[] content in ContentAndDecodedBase64(File.ReadAllBytes(file)))
            {
                Assert.All(secrets, secret => Assert.False(Contains(content, secret), file + " holds private-key material"));
            }
        }
    }

    [Fact]
    public void The_secret_scan_finds_a_key_where_there_is_one()
    {
        byte[] privateKeyInfo = PrivateKeyInfoFactory.CreatePrivateKeyInfo(Users.AliceSigningKey.Private).GetEncoded();
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(new { values = new[] { Convert.ToBase64String(privateKeyInfo) } });

        Assert.Contains(ContentAndDecodedBase64(json), content => Secrets(Users.AliceSigningKey.Private).Any(secret => Contains(content, secret)));
    }

    [Fact]
    public void Publishing_the_same_file_again_later_changes_nothing()
    {
        Publish(AlicePfx, PublishingPki.Password, new SmimeSettings(), s_firstPublication);

        SmimeRecipientUpdateResult again = Publish(AlicePfx, PublishingPki.Password, new SmimeSettings(), s_firstPublication.AddDays(30));

        Assert.Empty(again.Changes);
        Assert.Single(new FileSmimeStore(_folder.Path).ReadAuditLog(Contoso));
    }

    [Fact]
    public void Publishing_the_certificate_alone_keeps_the_signed_blob_a_pfx_published()
    {
        Publish(AlicePfx, PublishingPki.Password, new SmimeSettings(), s_firstPublication);

        SmimeRecipientUpdateResult again = Publish(
            CertificateFile.WritePkcs7(new[] { Users.AliceSigning, Users.AliceEncryption }), null, new SmimeSettings(), s_firstPublication.AddDays(1));

        Assert.Empty(again.Changes);
        Assert.True(UserSmimeCertificateReader.Read(again.Recipient!.UserSmimeCertificates[0]).IsSigned);
    }

    [Fact]
    public void A_new_algorithm_policy_or_chain_setting_replaces_the_blob()
    {
        Publish(AlicePfx, PublishingPki.Password, new SmimeSettings(), s_firstPublication);

        SmimeRecipientUpdateResult policy = Publish(AlicePfx, PublishingPki.Password, new SmimeSettings { OWAEncryptionAlgorithms = "660E;6610" }, s_firstPublication.AddDays(1));
        SmimeRecipientUpdateResult chain = Publish(
            AlicePfx, PublishingPki.Password, new SmimeSettings { OWAEncryptionAlgorithms = "660E;6610", OWAIncludeCertificateChainWithoutRootCertificate = true }, s_firstPublication.AddDays(2));

        Assert.Equal("userSMIMECertificate", Assert.Single(policy.Changes).Name);
        Assert.Equal(
            "2.16.840.1.101.3.4.1.2, 2.16.840.1.101.3.4.1.42",
            string.Join(", ", UserSmimeCertificateReader.Read(policy.Recipient!.UserSmimeCertificates[0]).Capabilities));
        Assert.Equal("userSMIMECertificate", Assert.Single(chain.Changes).Name);
        Assert.Contains(Ca.Intermediate, UserSmimeCertificateReader.ReadCertificates(chain.Recipient!.UserSmimeCertificates[0]));
    }

    [Fact]
    public void A_renewed_certificate_replaces_both_values_and_the_audit_shows_old_and_new()
    {
        Publish(Users.AliceSigning, null, new SmimeSettings(), s_firstPublication);

        SmimeRecipientUpdateResult renewed = Publish(Users.AliceEncryption, null, new SmimeSettings(), s_firstPublication.AddDays(1));

        Assert.Equal("userCertificate, userSMIMECertificate", string.Join(", ", renewed.Changes.Select(change => change.Name)));
        Assert.Equal(SmimeCaCertificate.Parse(Users.AliceSigning).Thumbprint, renewed.Changes[0].OldValue);
        Assert.Equal(SmimeCaCertificate.Parse(Users.AliceEncryption).Thumbprint, renewed.Changes[0].NewValue);
        Assert.Equal(new[] { Users.AliceEncryption }, UserSmimeCertificateReader.ReadCertificates(renewed.Recipient!.UserSmimeCertificates[0]));
        Assert.Equal("PrimarySmtpAddress", renewed.AuditRecord!.Changes[0].Name);
    }

    [Fact]
    public void Each_certificate_is_validated_for_what_its_key_is_for()
    {
        UserCertificateFileContent file = Read(CertificateFile.WritePkcs7(new[] { Users.AliceSigning, Users.AliceEncryption, Ca.Intermediate }));

        IReadOnlyList<SmimeValidationResult> results = UserCertificatePublication.Validate(file, Validator(new SmimeSettings()), new[] { Alice }, s_firstPublication, CancellationToken.None);

        Assert.Equal(new[] { SmimeCertificateUsage.Signing, SmimeCertificateUsage.Encryption }, results.Select(result => result.Usage));
        Assert.All(results, result => Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Failures)));
        string[] bob = { "bob@contoso.com" };
        Assert.Equal(SmimeCertificateUsage.Both, Assert.Single(UserCertificatePublication.Validate(Read(Users.Bob), Validator(new SmimeSettings()), bob, s_firstPublication, CancellationToken.None)).Usage);
    }

    [Fact]
    public void The_files_ca_certificates_complete_the_chain_and_only_the_collection_is_trusted()
    {
        SmimeCertificateValidator rootOnly = new(
            SmimeCertificateCollection.From(new[] { SmimeCaCertificate.Parse(Ca.Root) }), new SmimeSettings { OWADisableCRLCheck = true }, new UnreachableCrls(), new CrlCache(), () => s_firstPublication);
        string[] alice = { Alice };

        SmimeValidationResult withChain = UserCertificatePublication.Validate(
            Read(CertificateFile.WritePkcs7(new[] { Users.AliceSigning, Ca.Intermediate })), rootOnly, alice, s_firstPublication, CancellationToken.None)[0];
        SmimeValidationResult alone = UserCertificatePublication.Validate(Read(Users.AliceSigning), rootOnly, alice, s_firstPublication, CancellationToken.None)[0];

        Assert.True(withChain.IsValid, string.Join(Environment.NewLine, withChain.Failures));
        Assert.Contains(SmimeValidationReason.ChainNotTrusted, alone.Failures.Select(failure => failure.Code));
    }

    [Fact]
    public void The_chain_validation_built_from_the_collection_goes_into_the_blob_when_the_settings_ask()
    {
        UserCertificateFileContent file = Read(Users.AliceSigning);
        var settings = new SmimeSettings { OWAIncludeCertificateChainAndRootCertificate = true };
        string[] alice = { Alice };
        IReadOnlyList<SmimeValidationResult> results = UserCertificatePublication.Validate(file, Validator(settings), alice, s_firstPublication, CancellationToken.None);

        byte[] withRoot = UserCertificatePublication.Create(file, settings, s_firstPublication, results, Collection).GetUserSmimeCertificate();
        byte[] chainOnly = UserCertificatePublication.Create(file, settings, s_firstPublication, results).GetUserSmimeCertificate();
        byte[] fileOnly = UserCertificatePublication.Create(file, settings, s_firstPublication).GetUserSmimeCertificate();

        // The validated chain ends at the intermediate, the first certificate of the collection; the root comes from the collection.
        Assert.Equal(new[] { Users.AliceSigning, Ca.Intermediate }, results[0].Chain.Select(element => element.RawData));
        Assert.Equal(Sorted(Users.AliceSigning, Ca.Intermediate, Ca.Root), Sorted(UserSmimeCertificateReader.ReadCertificates(withRoot).ToArray()));
        Assert.Equal(Sorted(Users.AliceSigning, Ca.Intermediate), Sorted(UserSmimeCertificateReader.ReadCertificates(chainOnly).ToArray()));
        Assert.Equal(new[] { Users.AliceSigning }, UserSmimeCertificateReader.ReadCertificates(fileOnly));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void A_certificate_for_a_proxy_address_is_accepted_only_when_secondary_proxies_are_used(bool useProxies, bool valid)
    {
        var settings = new SmimeSettings { OWAUseSecondaryProxiesWhenFindingCertificates = useProxies };
        IReadOnlyList<string> addresses = UserCertificatePublication.LookupAddresses("a.smith@contoso.com", new[] { Alice, "A.Smith@contoso.com" }, settings);

        SmimeValidationResult result = UserCertificatePublication.Validate(Read(Users.AliceSigning), Validator(settings), addresses, s_firstPublication, CancellationToken.None)[0];

        string[] expected = useProxies ? new[] { "a.smith@contoso.com", Alice } : new[] { "a.smith@contoso.com" };
        Assert.Equal(expected, addresses);
        Assert.Equal(valid, result.IsValid);
        Assert.Equal(valid ? Array.Empty<SmimeValidationReason>() : new[] { SmimeValidationReason.AddressMismatch }, result.Failures.Select(failure => failure.Code));
    }

    [Theory]
    [InlineData(UserCertificateAttributes.UserCertificate, "userCertificate")]
    [InlineData(UserCertificateAttributes.UserSmimeCertificate, "userSMIMECertificate")]
    [InlineData(UserCertificateAttributes.Both, "userCertificate, userSMIMECertificate")]
    public void Only_the_chosen_attributes_are_written(UserCertificateAttributes attributes, string written)
    {
        var draft = new SmimeRecipientDraft(Alice);

        IReadOnlyList<SmimeSettingChange> changes = Create(Users.AliceSigning).ApplyTo(draft, attributes, append: false);

        Assert.Equal(written, string.Join(", ", changes.Select(change => change.Name)));
        Assert.Equal((attributes & UserCertificateAttributes.UserCertificate) != 0, draft.UserCertificates.Count == 1);
        Assert.Equal((attributes & UserCertificateAttributes.UserSmimeCertificate) != 0, draft.UserSmimeCertificates.Count == 1);
    }

    [Fact]
    public void Append_keeps_the_earlier_certificates_and_blobs_and_adds_nothing_twice()
    {
        var draft = new SmimeRecipientDraft(Alice);
        Create(Users.AliceSigning).ApplyTo(draft, UserCertificateAttributes.Both, append: false);

        IReadOnlyList<SmimeSettingChange> renewal = Create(Users.AliceEncryption).ApplyTo(draft, UserCertificateAttributes.Both, append: true);
        IReadOnlyList<SmimeSettingChange> again = Create(Users.AliceEncryption).ApplyTo(draft, UserCertificateAttributes.Both, append: true);

        Assert.Equal(2, renewal.Count);
        Assert.Equal(new[] { Users.AliceSigning, Users.AliceEncryption }, draft.UserCertificates);
        Assert.Equal(
            new[] { Users.AliceSigning, Users.AliceEncryption },
            draft.UserSmimeCertificates.Select(blob => Assert.Single(UserSmimeCertificateReader.ReadCertificates(blob))));
        Assert.Empty(again);
    }

    [Fact]
    public void Certificate_objects_are_sorted_into_users_and_chain()
    {
        UserCertificateFileContent content = UserCertificateFile.FromCertificates(new[] { Ca.Intermediate, Users.AliceSigning, Ca.Root, Users.AliceEncryption });

        Assert.Equal(UserCertificateFileFormat.Certificates, content.Format);
        Assert.Equal(new[] { Users.AliceSigning, Users.AliceEncryption }, content.UserCertificates);
        Assert.Equal(new[] { Ca.Intermediate, Ca.Root }, content.ChainCertificates);
        Assert.Null(content.SigningKey);
        Assert.Throws<CertificateFormatException>(() => UserCertificateFile.FromCertificates(new[] { Ca.Root }));
        Assert.Throws<CertificateFormatException>(() => UserCertificateFile.FromCertificates(new[] { new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 } }));
    }

    private static UserCertificateFileContent Read(byte[] file) => UserCertificateFile.Read(file, null);

    private static UserCertificatePublication Create(byte[] file) => UserCertificatePublication.Create(Read(file), new SmimeSettings(), s_firstPublication);

    private static SmimeCertificateCollection Collection => SmimeCertificateCollection.From(new[] { Ca.Root, Ca.Intermediate }.Select(SmimeCaCertificate.Parse));

    // The blob's certificates are a DER SET OF, so their order is the encoding's.
    private static string[] Sorted(params byte[][] certificates) =>
        certificates.Select(Convert.ToHexString).OrderBy(hex => hex, StringComparer.Ordinal).ToArray();

    private static SmimeCertificateValidator Validator(SmimeSettings settings)
    {
        SmimeSettings withoutCrls = settings.Clone();
        withoutCrls.OWADisableCRLCheck = true;
        return new SmimeCertificateValidator(
            Collection,
            withoutCrls,
            new UnreachableCrls(),
            new CrlCache(),
            () => s_firstPublication);
    }

    private SmimeRecipientUpdateResult Publish(byte[] file, string? password, SmimeSettings settings, DateTime now)
    {
        var publication = UserCertificatePublication.Create(UserCertificateFile.Read(file, password), settings, now);
        var store = new FileSmimeStore(_folder.Path, new FileSmimeStoreOptions { UtcNow = () => now });
        return store.UpdateRecipient(Contoso, Alice, publication.ApplyTo, s_context, createIfMissing: true);
    }

    // The key's PKCS #8 encoding and its private numbers (each long enough not to occur by chance).
    private static IEnumerable<byte[]> Secrets(Org.BouncyCastle.Crypto.AsymmetricKeyParameter key)
    {
        var rsa = (RsaPrivateCrtKeyParameters)key;
        yield return PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetEncoded();
        yield return rsa.Exponent.ToByteArrayUnsigned();
        yield return rsa.P.ToByteArrayUnsigned();
        yield return rsa.Q.ToByteArrayUnsigned();
    }

    // A file's bytes, and the bytes of every JSON string in it that is Base64, where the store keeps binary values.
    private static IEnumerable<byte[]> ContentAndDecodedBase64(byte[] content)
    {
        yield return content;
        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException)
        {
            // Not JSON (the lock file, the audit log's lines are parsed below).
        }

        IEnumerable<JsonElement> roots = document is null
            ? Encoding.UTF8.GetString(content).Split('\n').Where(line => line.StartsWith('{')).Select(line => JsonDocument.Parse(line).RootElement)
            : new[] { document.RootElement };
        foreach (string text in roots.SelectMany(Strings))
        {
            byte[] decoded = new byte[text.Length];
            if (Convert.TryFromBase64String(text, decoded, out int length))
            {
                yield return decoded.AsSpan(0, length).ToArray();
            }
        }
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => new[] { element.GetString()! },
        JsonValueKind.Object => element.EnumerateObject().SelectMany(property => Strings(property.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => Array.Empty<string>(),
    };

    private static bool Contains(byte[] content, byte[] secret) => content.AsSpan().IndexOf(secret) >= 0;

    private sealed class UnreachableCrls : ICrlSource
    {
        public Task<byte[]> FetchAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken) =>
            throw new Xunit.Sdk.XunitException("CRL checking is off; nothing should be fetched.");
    }
}
