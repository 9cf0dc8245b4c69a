using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Baselines;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Tests.Certificates;
using SmimeAdmin.Core.Tests.Publishing;

namespace SmimeAdmin.Core.Tests.Baselines;

/// <summary>A folder store in a temporary folder, with helpers to configure organizations and publish recipients.</summary>
internal sealed class BaselineStore : IDisposable
{
    public const string Contoso = "contoso.com";
    public const string Fabrikam = "fabrikam.com";
    public static readonly SmimeAuditContext Context = new(@"CONTOSO\admin", "ws01", "Test");

    private readonly TempFolder _folder = new();

    public BaselineStore() => Store = new FileSmimeStore(_folder.Path);

    public FileSmimeStore Store { get; }

    public static TestPki Ca => TestPki.Instance;

    public static PublishingPki Users => PublishingPki.Instance;

    public void Dispose() => _folder.Dispose();

    public void Set(string organization, params (string Name, object? Value)[] settings)
    {
        SmimeSettingsUpdate update = SmimeSettingsUpdate.Create(settings.Select(s => new KeyValuePair<string, object?>(s.Name, s.Value)));
        Store.UpdateConfig(organization, draft => update.ApplyTo(draft.Settings), Context);
    }

    public void SetCollection(string organization, params byte[][] certificates)
    {
        SmimeCertificateCollectionRecord? record = SmimeCertificateCollection.From(certificates.Select(SmimeCaCertificate.Parse)).ToRecord();
        Store.UpdateConfig(
            organization,
            draft => draft.ReplaceCertificateCollection(record) is SmimeSettingChange change ? new[] { change } : Array.Empty<SmimeSettingChange>(),
            Context);
    }

    public void Publish(string organization, string address, byte[][] userCertificates, params byte[][] userSmimeCertificates) =>
        Store.UpdateRecipient(
            organization,
            address,
            draft => new[] { draft.SetUserCertificates(userCertificates), draft.SetUserSmimeCertificates(userSmimeCertificates) }
                .OfType<SmimeSettingChange>()
                .ToList(),
            Context,
            createIfMissing: true);

    public SmimeBaseline Export(string organization, bool includeUsers = false) =>
        SmimeBaseline.FromConfig(Store.ReadConfig(organization), includeUsers ? Store.ReadRecipients(organization) : null);

    public static string Thumbprint(byte[] certificate) => SmimeCaCertificate.Parse(certificate).Thumbprint;
}
