using System;
using System.Diagnostics.CodeAnalysis;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin;

/// <summary>
/// An organization's S/MIME configuration, shaped like Exchange's SmimeConfig object: every OWA and SMIME setting
/// in Exchange's order, then the object properties.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Exchange's property names are kept for parity.")]
public sealed class SmimeConfig
{
    /// <summary>The relative name of the configuration object, as in Exchange.</summary>
    public const string ObjectName = "Smime Configuration";

    internal SmimeConfig(SmimeOrganizationConfig config)
    {
        SmimeSettings s = config.Settings;
        OWACheckCRLOnSend = s.OWACheckCRLOnSend;
        OWADLExpansionTimeout = s.OWADLExpansionTimeout;
        OWAUseSecondaryProxiesWhenFindingCertificates = s.OWAUseSecondaryProxiesWhenFindingCertificates;
        OWACRLConnectionTimeout = s.OWACRLConnectionTimeout;
        OWACRLRetrievalTimeout = s.OWACRLRetrievalTimeout;
        OWADisableCRLCheck = s.OWADisableCRLCheck;
        OWAAlwaysSign = s.OWAAlwaysSign;
        OWAAlwaysEncrypt = s.OWAAlwaysEncrypt;
        OWAClearSign = s.OWAClearSign;
        OWAIncludeCertificateChainWithoutRootCertificate = s.OWAIncludeCertificateChainWithoutRootCertificate;
        OWAIncludeCertificateChainAndRootCertificate = s.OWAIncludeCertificateChainAndRootCertificate;
        OWAEncryptTemporaryBuffers = s.OWAEncryptTemporaryBuffers;
        OWASignedEmailCertificateInclusion = s.OWASignedEmailCertificateInclusion;
        OWABCCEncryptedEmailForking = s.OWABCCEncryptedEmailForking;
        OWAIncludeSMIMECapabilitiesInMessage = s.OWAIncludeSMIMECapabilitiesInMessage;
        OWACopyRecipientHeaders = s.OWACopyRecipientHeaders;
        OWAOnlyUseSmartCard = s.OWAOnlyUseSmartCard;
        OWATripleWrapSignedEncryptedMail = s.OWATripleWrapSignedEncryptedMail;
        OWAUseKeyIdentifier = s.OWAUseKeyIdentifier;
        OWAEncryptionAlgorithms = s.OWAEncryptionAlgorithms;
        OWASigningAlgorithms = s.OWASigningAlgorithms;
        OWAForceSMIMEClientUpgrade = s.OWAForceSMIMEClientUpgrade;
        OWASenderCertificateAttributesToDisplay = s.OWASenderCertificateAttributesToDisplay;
        OWAAllowUserChoiceOfSigningCertificate = s.OWAAllowUserChoiceOfSigningCertificate;
        NoSignOnReply = s.NoSignOnReply;
        SMIMECertificateIssuingCA = config.CertificateCollection?.GetSerializedStore();
        SMIMECertificatesExpiryDate = config.CertificateCollection?.ExpiryDateUtc;
        SMIMEExpiredCertificateThumbprint = config.CertificateCollection?.ExpiryThumbprint ?? string.Empty;

        Identity = config.Organization;
        OrganizationId = config.Organization;
        DistinguishedName = "CN=" + ObjectName + ",CN=Global Settings,CN=" + config.Organization
            + ",CN=Microsoft Exchange,CN=Services,CN=Configuration";
        Guid = config.ObjectGuid;
        WhenCreatedUTC = config.WhenCreatedUtc;
        WhenChangedUTC = config.WhenChangedUtc;
        WhenCreated = config.WhenCreatedUtc?.ToLocalTime();
        WhenChanged = config.WhenChangedUtc?.ToLocalTime();
        OriginatingServer = Environment.MachineName;
        ObjectState = config.IsNew ? "New" : "Unchanged";
    }

    /// <summary>See Set-SmimeConfig -OWACheckCRLOnSend.</summary>
    public bool OWACheckCRLOnSend { get; }

    /// <summary>See Set-SmimeConfig -OWADLExpansionTimeout.</summary>
    public uint OWADLExpansionTimeout { get; }

    /// <summary>See Set-SmimeConfig -OWAUseSecondaryProxiesWhenFindingCertificates.</summary>
    public bool OWAUseSecondaryProxiesWhenFindingCertificates { get; }

    /// <summary>See Set-SmimeConfig -OWACRLConnectionTimeout.</summary>
    public uint OWACRLConnectionTimeout { get; }

    /// <summary>See Set-SmimeConfig -OWACRLRetrievalTimeout.</summary>
    public uint OWACRLRetrievalTimeout { get; }

    /// <summary>See Set-SmimeConfig -OWADisableCRLCheck.</summary>
    public bool OWADisableCRLCheck { get; }

    /// <summary>See Set-SmimeConfig -OWAAlwaysSign.</summary>
    public bool OWAAlwaysSign { get; }

    /// <summary>See Set-SmimeConfig -OWAAlwaysEncrypt.</summary>
    public bool OWAAlwaysEncrypt { get; }

    /// <summary>See Set-SmimeConfig -OWAClearSign.</summary>
    public bool OWAClearSign { get; }

    /// <summary>See Set-SmimeConfig -OWAIncludeCertificateChainWithoutRootCertificate.</summary>
    public bool OWAIncludeCertificateChainWithoutRootCertificate { get; }

    /// <summary>See Set-SmimeConfig -OWAIncludeCertificateChainAndRootCertificate.</summary>
    public bool OWAIncludeCertificateChainAndRootCertificate { get; }

    /// <summary>See Set-SmimeConfig -OWAEncryptTemporaryBuffers.</summary>
    public bool OWAEncryptTemporaryBuffers { get; }

    /// <summary>See Set-SmimeConfig -OWASignedEmailCertificateInclusion.</summary>
    public bool OWASignedEmailCertificateInclusion { get; }

    /// <summary>See Set-SmimeConfig -OWABCCEncryptedEmailForking.</summary>
    public uint OWABCCEncryptedEmailForking { get; }

    /// <summary>See Set-SmimeConfig -OWAIncludeSMIMECapabilitiesInMessage.</summary>
    public bool OWAIncludeSMIMECapabilitiesInMessage { get; }

    /// <summary>See Set-SmimeConfig -OWACopyRecipientHeaders.</summary>
    public bool OWACopyRecipientHeaders { get; }

    /// <summary>See Set-SmimeConfig -OWAOnlyUseSmartCard.</summary>
    public bool OWAOnlyUseSmartCard { get; }

    /// <summary>See Set-SmimeConfig -OWATripleWrapSignedEncryptedMail.</summary>
    public bool OWATripleWrapSignedEncryptedMail { get; }

    /// <summary>See Set-SmimeConfig -OWAUseKeyIdentifier.</summary>
    public bool OWAUseKeyIdentifier { get; }

    /// <summary>See Set-SmimeConfig -OWAEncryptionAlgorithms.</summary>
    public string OWAEncryptionAlgorithms { get; }

    /// <summary>See Set-SmimeConfig -OWASigningAlgorithms.</summary>
    public string OWASigningAlgorithms { get; }

    /// <summary>See Set-SmimeConfig -OWAForceSMIMEClientUpgrade.</summary>
    public bool OWAForceSMIMEClientUpgrade { get; }

    /// <summary>See Set-SmimeConfig -OWASenderCertificateAttributesToDisplay.</summary>
    public string OWASenderCertificateAttributesToDisplay { get; }

    /// <summary>See Set-SmimeConfig -OWAAllowUserChoiceOfSigningCertificate.</summary>
    public bool OWAAllowUserChoiceOfSigningCertificate { get; }

    /// <summary>The virtual certificate collection as SST bytes; <see langword="null"/> when none is stored.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Exchange's type is Byte[].")]
    public byte[]? SMIMECertificateIssuingCA { get; }

    /// <summary>The earliest NotAfter in the collection; <see langword="null"/> when none is stored.</summary>
    public DateTime? SMIMECertificatesExpiryDate { get; }

    /// <summary>The thumbprint of the collection's soonest-to-expire certificate; empty when none is stored.</summary>
    public string SMIMEExpiredCertificateThumbprint { get; }

    /// <summary>See Set-SmimeConfig -NoSignOnReply.</summary>
    public bool NoSignOnReply { get; }

    /// <summary>Always empty, as in Exchange.</summary>
    public string AdminDisplayName { get; } = string.Empty;

    /// <summary>The Exchange object version this object mirrors.</summary>
    public string ExchangeVersion { get; } = "0.1 (8.0.535.0)";

    /// <summary>The object's name, Smime Configuration.</summary>
    public string Name { get; } = ObjectName;

    /// <summary>Where Exchange would keep this object in its configuration partition.</summary>
    public string DistinguishedName { get; }

    /// <summary>The organization; pipe the object to Set-SmimeConfig to change it.</summary>
    public string Identity { get; }

    /// <summary>The object's GUID; empty until first saved.</summary>
    public Guid Guid { get; }

    /// <summary>The object category, as in Exchange.</summary>
    public string ObjectCategory { get; } = "msExchContainer";

    /// <summary>The object classes, as in Exchange.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Mirrors Exchange's multi-valued property.")]
    public string[] ObjectClass { get; } = { "top", "container", "msExchContainer" };

    /// <summary>When the configuration last changed (local time).</summary>
    public DateTime? WhenChanged { get; }

    /// <summary>When the configuration was first saved (local time).</summary>
    public DateTime? WhenCreated { get; }

    /// <summary>When the configuration last changed (UTC).</summary>
    public DateTime? WhenChangedUTC { get; }

    /// <summary>When the configuration was first saved (UTC).</summary>
    public DateTime? WhenCreatedUTC { get; }

    /// <summary>The organization the object belongs to.</summary>
    public string OrganizationId { get; }

    /// <summary>The object's id, the same as <see cref="Identity"/>.</summary>
    public string Id => Identity;

    /// <summary>The machine that served the object.</summary>
    public string OriginatingServer { get; }

    /// <summary>Whether the stored values are valid; the store refuses to load invalid ones, so this is true.</summary>
    public bool IsValid { get; } = true;

    /// <summary>New for an organization never configured, else Unchanged.</summary>
    public string ObjectState { get; }

    /// <inheritdoc/>
    public override string ToString() => Identity;
}
