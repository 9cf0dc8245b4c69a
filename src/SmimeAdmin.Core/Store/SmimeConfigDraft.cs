using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// The state a change works on inside <see cref="ISmimeStore.UpdateConfig"/>: a copy of the current settings and
/// the current certificate collection, both of which the change may replace.
/// </summary>
public sealed class SmimeConfigDraft
{
    internal SmimeConfigDraft(SmimeSettings settings, SmimeCertificateCollectionRecord? certificateCollection)
    {
        Settings = settings;
        CertificateCollection = certificateCollection;
    }

    /// <summary>A copy of the settings, to change in place.</summary>
    public SmimeSettings Settings { get; }

    /// <summary>The certificate collection; set it to replace or (with <see langword="null"/>) clear it.</summary>
    public SmimeCertificateCollectionRecord? CertificateCollection { get; set; }
}
