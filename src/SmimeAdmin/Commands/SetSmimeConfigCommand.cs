using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Commands;

/// <summary>
/// Set-SmimeConfig: changes the settings named on the command line, with Exchange's parameter names, types and
/// ranges. Unnamed settings keep their stored values.
/// </summary>
[Cmdlet(VerbsCommon.Set, "SmimeConfig", SupportsShouldProcess = true)]
[OutputType(typeof(SmimeConfig))]
public sealed class SetSmimeConfigCommand : SmimeCmdletBase
{
    // Exchange refuses a larger SMIMECertificateIssuingCA; Set-SmimeCertificateCollection has no such limit.
    private const int MaximumIssuingCABytes = 70000;

    /// <summary>The organization; the session's organization when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string? Identity { get; set; }

    /// <summary>Lets users choose their signing certificate.</summary>
    [Parameter]
    public bool OWAAllowUserChoiceOfSigningCertificate { get; set; }

    /// <summary>Encrypts every outgoing message.</summary>
    [Parameter]
    public bool OWAAlwaysEncrypt { get; set; }

    /// <summary>Signs every outgoing message.</summary>
    [Parameter]
    public bool OWAAlwaysSign { get; set; }

    /// <summary>Bcc handling for encrypted mail (0, 1 or 2).</summary>
    [Parameter]
    public uint OWABCCEncryptedEmailForking { get; set; }

    /// <summary>Blocks sending when a CRL distribution point cannot be reached.</summary>
    [Parameter]
    public bool OWACheckCRLOnSend { get; set; }

    /// <summary>Clear-signs when true, opaque-signs when false.</summary>
    [Parameter]
    public bool OWAClearSign { get; set; }

    /// <summary>Reserved by Exchange for internal use.</summary>
    [Parameter]
    public bool OWACopyRecipientHeaders { get; set; }

    /// <summary>Per-CRL connection time limit in milliseconds.</summary>
    [Parameter]
    public uint OWACRLConnectionTimeout { get; set; }

    /// <summary>Time limit for retrieving all CRLs of one validation, in milliseconds.</summary>
    [Parameter]
    public uint OWACRLRetrievalTimeout { get; set; }

    /// <summary>Turns CRL checking off.</summary>
    [Parameter]
    public bool OWADisableCRLCheck { get; set; }

    /// <summary>Time limit per distribution-group expansion in milliseconds.</summary>
    [Parameter]
    public uint OWADLExpansionTimeout { get; set; }

    /// <summary>Content-encryption algorithms in order of preference.</summary>
    [Parameter]
    [AllowNull]
    [AllowEmptyString]
    public string? OWAEncryptionAlgorithms { get; set; }

    /// <summary>Encrypts client-side temporary buffers.</summary>
    [Parameter]
    public bool OWAEncryptTemporaryBuffers { get; set; }

    /// <summary>Requires an outdated S/MIME control to be upgraded.</summary>
    [Parameter]
    public bool OWAForceSMIMEClientUpgrade { get; set; }

    /// <summary>Includes the chain and the root certificate in messages.</summary>
    [Parameter]
    public bool OWAIncludeCertificateChainAndRootCertificate { get; set; }

    /// <summary>Includes the chain without the root certificate in messages.</summary>
    [Parameter]
    public bool OWAIncludeCertificateChainWithoutRootCertificate { get; set; }

    /// <summary>Adds the SMIMECapabilities attribute to signed messages.</summary>
    [Parameter]
    public bool OWAIncludeSMIMECapabilitiesInMessage { get; set; }

    /// <summary>Requires smart-card certificates.</summary>
    [Parameter]
    public bool OWAOnlyUseSmartCard { get; set; }

    /// <summary>OIDs of the certificate attributes shown on an address mismatch.</summary>
    [Parameter]
    [AllowNull]
    [AllowEmptyString]
    public string? OWASenderCertificateAttributesToDisplay { get; set; }

    /// <summary>Signed mail carries the signing and encryption certificates.</summary>
    [Parameter]
    public bool OWASignedEmailCertificateInclusion { get; set; }

    /// <summary>Signing digest algorithms in order of preference.</summary>
    [Parameter]
    [AllowNull]
    [AllowEmptyString]
    public string? OWASigningAlgorithms { get; set; }

    /// <summary>Signs, encrypts and signs again.</summary>
    [Parameter]
    public bool OWATripleWrapSignedEncryptedMail { get; set; }

    /// <summary>Identifies recipients by subjectKeyIdentifier.</summary>
    [Parameter]
    public bool OWAUseKeyIdentifier { get; set; }

    /// <summary>Also tries secondary proxy addresses when finding certificates.</summary>
    [Parameter]
    public bool OWAUseSecondaryProxiesWhenFindingCertificates { get; set; }

    /// <summary>Replies do not inherit the signature.</summary>
    [Parameter]
    public bool NoSignOnReply { get; set; }

    /// <summary>The virtual certificate collection as the bytes of a serialized certificate store (.sst).</summary>
    [Parameter]
    [AllowNull]
    [AllowEmptyCollection]
    public byte[]? SMIMECertificateIssuingCA { get; set; }

    /// <summary>Writes the updated configuration.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Identity, () =>
    {
        string organization = ResolveOrganization(Identity);
        SmimeSettingsUpdate update = SmimeSettingsUpdate.Create(
            MyInvocation.BoundParameters
                .Where(parameter => SmimeSetting.Find(parameter.Key) is not null)
                .Select(parameter => new KeyValuePair<string, object?>(parameter.Key, parameter.Value)));
        foreach (string warning in update.Warnings)
        {
            WriteWarning(warning);
        }

        bool collectionGiven = MyInvocation.BoundParameters.ContainsKey(nameof(SMIMECertificateIssuingCA));
        SmimeCertificateCollectionRecord? collection = collectionGiven ? ReadIssuingCA() : null;
        Func<SmimeConfigDraft, IReadOnlyList<SmimeSettingChange>> change = draft =>
        {
            var changes = new List<SmimeSettingChange>(update.ApplyTo(draft.Settings));
            if (collectionGiven && draft.ReplaceCertificateCollection(collection) is SmimeSettingChange replaced)
            {
                changes.Add(replaced);
            }

            return changes;
        };

        UpdateConfig(organization, change, changes => string.Format(CultureInfo.CurrentCulture, Strings.SetSmimeConfigAction, changes), PassThru);
    });

    // Exchange's rules for the collection: $null or empty clears it; more than 70,000 bytes, an unreadable blob or
    // any expired certificate fails the whole call.
    private SmimeCertificateCollectionRecord? ReadIssuingCA()
    {
        byte[]? content = SMIMECertificateIssuingCA;
        if (content is null || content.Length == 0)
        {
            return null;
        }

        if (content.Length > MaximumIssuingCABytes)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException(string.Format(CultureInfo.CurrentCulture, Strings.IssuingCATooLarge, content.Length, MaximumIssuingCABytes)),
                ErrorMap.CertificateCollectionTooLarge,
                ErrorCategory.LimitsExceeded,
                content.Length));
        }

        SmimeCertificateCollection collection;
        try
        {
            collection = SmimeCertificateCollection.FromFileContent(content);
        }
        catch (CertificateFormatException ex)
        {
            ThrowTerminatingError(new ErrorRecord(
                new FormatException(string.Format(CultureInfo.CurrentCulture, Strings.CertificateDataInvalid, nameof(SMIMECertificateIssuingCA), ex.Message), ex),
                ErrorMap.InvalidCertificateData,
                ErrorCategory.InvalidData,
                nameof(SMIMECertificateIssuingCA)));
            throw;
        }

        IReadOnlyList<SmimeCaCertificate> expired = collection.ExpiredAt(DateTime.UtcNow);
        if (expired.Count > 0)
        {
            string list = string.Join("; ", expired.Select(c => string.Format(CultureInfo.CurrentCulture, Strings.ExpiredCertificateEntry, c.Subject, c.Thumbprint, c.NotAfter)));
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException(string.Format(CultureInfo.CurrentCulture, Strings.IssuingCAExpired, expired.Count, list)),
                ErrorMap.CertificateExpired,
                ErrorCategory.LimitsExceeded,
                expired.Select(c => c.Thumbprint).ToArray()));
        }

        return collection.ToRecord();
    }
}
