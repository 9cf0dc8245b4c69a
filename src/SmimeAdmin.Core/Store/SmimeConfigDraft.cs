using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// The state a change works on inside <see cref="ISmimeStore.UpdateConfig"/>: a copy of the current settings and
/// the current certificate collection, both of which the change may replace.
/// </summary>
public sealed class SmimeConfigDraft
{
    /// <summary>Creates a draft of the given state, e.g. to preview what a change would do.</summary>
    public SmimeConfigDraft(SmimeSettings settings, SmimeCertificateCollectionRecord? certificateCollection)
    {
        Settings = settings;
        CertificateCollection = certificateCollection;
    }

    /// <summary>A copy of the settings, to change in place.</summary>
    public SmimeSettings Settings { get; }

    /// <summary>The certificate collection; set it to replace or (with <see langword="null"/>) clear it.</summary>
    public SmimeCertificateCollectionRecord? CertificateCollection { get; set; }

    /// <summary>The name under which collection changes are audited: Exchange's parameter name.</summary>
    public const string CertificateCollectionName = "SMIMECertificateIssuingCA";

    /// <summary>Replaces the collection when <paramref name="collection"/> differs from it, byte for byte.</summary>
    /// <returns>The change to audit, or <see langword="null"/> when the collection is the same.</returns>
    public SmimeSettingChange? ReplaceCertificateCollection(SmimeCertificateCollectionRecord? collection)
    {
        if (collection?.Sha256 == CertificateCollection?.Sha256)
        {
            return null;
        }

        var change = new SmimeSettingChange(CertificateCollectionName, CertificateCollection?.ToString() ?? string.Empty, collection?.ToString() ?? string.Empty);
        CertificateCollection = collection;
        return change;
    }
}
