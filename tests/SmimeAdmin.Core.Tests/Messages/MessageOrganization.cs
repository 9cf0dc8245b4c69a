using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Messages;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Validation;

namespace SmimeAdmin.Core.Tests.Messages;

/// <summary>
/// An organization in a folder store for the message tests: the validation CA as its collection, settings as a test
/// sets them, and recipients created through the store's Core API (userCertificate, or a published userSMIMECertificate).
/// </summary>
internal sealed class MessageOrganization : IDisposable
{
    public const string Name = "Contoso";

    private static readonly SmimeAuditContext s_context = new(@"CONTOSO\admin", "ws01", "MessageTests");

    private readonly TempFolder _folder = new();

    public MessageOrganization(IReadOnlyDictionary<string, object?>? settings = null, IEnumerable<byte[]>? collection = null)
    {
        Store = new FileSmimeStore(_folder.Path, new FileSmimeStoreOptions());
        SmimeCertificateCollectionRecord? record = SmimeCertificateCollection.From((collection ?? MessagePki.Collection).Select(SmimeCaCertificate.Parse)).ToRecord();
        SmimeSettingsUpdate update = SmimeSettingsUpdate.Create(settings ?? new Dictionary<string, object?>());
        Store.UpdateConfig(
            Name,
            draft => update.ApplyTo(draft.Settings).Concat(new[] { draft.ReplaceCertificateCollection(record) }.OfType<SmimeSettingChange>()).ToList(),
            s_context);
    }

    public FileSmimeStore Store { get; }

    public string Folder => _folder.Path;

    public TestCrlSource Crls { get; } = new();

    public SmimeSettings Settings => Store.ReadConfig(Name).Settings;

    /// <summary>Adds a recipient whose userCertificate is the user's certificate.</summary>
    public MessageOrganization WithCertificate(MessageUser user, string? primary = null, params string[] proxies)
    {
        Store.UpdateRecipient(
            Name,
            primary ?? user.Address,
            draft => new[] { draft.SetUserCertificates(new[] { user.Certificate }), draft.SetProxyAddresses(proxies) }.OfType<SmimeSettingChange>().ToList(),
            s_context,
            createIfMissing: true);
        return this;
    }

    /// <summary>Publishes the user's .pfx: userCertificate and a signed userSMIMECertificate with the organization's capabilities.</summary>
    public MessageOrganization WithPublication(MessageUser user, SmimeSettings? publishedWith = null)
    {
        UserCertificateFileContent file = UserCertificateFile.Read(user.Pfx(), MessagePki.Password);
        var publication = UserCertificatePublication.Create(file, publishedWith ?? Settings, DateTime.UtcNow);
        Store.UpdateRecipient(Name, user.Address, publication.ApplyTo, s_context, createIfMissing: true);
        return this;
    }

    public SmimeMessageProtector Protector() => new(Store, Name, Crls, new CrlCache(() => DateTime.UtcNow), () => DateTime.UtcNow);

    public SmimeMessageOpener Opener(SmimeDecryptionKeys? keys = null)
    {
        SmimeOrganizationConfig config = Store.ReadConfig(Name);
        return new SmimeMessageOpener(
            SmimeCertificateCollection.FromRecord(config.CertificateCollection),
            config.Settings,
            Crls,
            new CrlCache(() => DateTime.UtcNow),
            () => DateTime.UtcNow,
            keys);
    }

    public static SmimeMessageSigner Signer(MessageUser user) => SmimeMessageSigner.FromPkcs12(user.Pfx(), MessagePki.Password);

    public static SmimeDecryptionKeys Keys(MessageUser user) => SmimeDecryptionKeys.FromPkcs12(user.Pfx(), MessagePki.Password);

    public void Dispose() => _folder.Dispose();
}

/// <summary>Serves CRLs from memory; an unknown address fails the way an unreachable server does.</summary>
internal sealed class TestCrlSource : ICrlSource
{
    private readonly Dictionary<Uri, byte[]> _crls = new();

    public void Serve(Uri uri, byte[] crl) => _crls[uri] = crl;

    public Task<byte[]> FetchAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken) =>
        _crls.TryGetValue(uri, out byte[]? crl) ? Task.FromResult(crl) : throw new CrlFetchException(uri, "not served");
}
