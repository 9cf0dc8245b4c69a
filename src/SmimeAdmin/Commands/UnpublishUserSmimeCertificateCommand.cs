using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Commands;

/// <summary>
/// Unpublish-UserSmimeCertificate: removes certificates published for a recipient, by thumbprint or all of them; the
/// recipient and its addresses stay.
/// </summary>
[Cmdlet(VerbsData.Unpublish, "UserSmimeCertificate", SupportsShouldProcess = true)]
public sealed class UnpublishUserSmimeCertificateCommand : UserSmimeCertificateCmdletBase
{
    /// <summary>The recipient, by primary or proxy address.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PrimarySmtpAddress")]
    [ValidateNotNullOrEmpty]
    public string Identity { get; set; } = string.Empty;

    /// <summary>The SHA-1 thumbprints of the certificates to remove; every published certificate when omitted.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Thumbprint { get; set; }

    /// <summary>The attributes to remove from: UserCertificate, UserSMIMECertificate or Both (the default).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("UserCertificate", "UserSMIMECertificate", "Both")]
    public string Attribute { get; set; } = "Both";

    /// <inheritdoc/>
    protected override void ProcessRecord() => RunForInput(Identity, () =>
    {
        string organization = ResolveOrganization(Organization);
        SmimeRecipient recipient = Store.ReadRecipient(organization, Identity)
            ?? throw new SmimeRecipientNotFoundException(organization, Identity);
        UserCertificateAttributes attributes = ParseAttributes(Attribute);
        string[]? thumbprints = Thumbprint?.Select(NormalizeThumbprint).ToArray();

        // A preview on the stored recipient says what would go and which thumbprints are not published.
        PublishedUserCertificate.RemoveFrom(new SmimeRecipientDraft(recipient), thumbprints, attributes, out IReadOnlyCollection<string> found);
        foreach (string missing in thumbprints?.Where(thumbprint => !found.Contains(thumbprint)) ?? Enumerable.Empty<string>())
        {
            WriteError(new ErrorRecord(
                new ItemNotFoundException(string.Format(CultureInfo.CurrentCulture, Strings.UserCertificateNotPublished, recipient.PrimarySmtpAddress, missing, DescribeAttributes(attributes))),
                ErrorMap.CertificateNotFound,
                ErrorCategory.ObjectNotFound,
                missing));
        }

        if (found.Count == 0)
        {
            if (thumbprints is null)
            {
                WriteWarning(string.Format(CultureInfo.CurrentCulture, Strings.NothingPublished, recipient.PrimarySmtpAddress, DescribeAttributes(attributes)));
            }

            return;
        }

        string action = string.Format(CultureInfo.CurrentCulture, Strings.UnpublishAction, string.Join(", ", found), DescribeAttributes(attributes));
        if (ShouldProcess(recipient.PrimarySmtpAddress, action))
        {
            Store.UpdateRecipient(
                organization,
                recipient.PrimarySmtpAddress,
                draft => PublishedUserCertificate.RemoveFrom(draft, thumbprints, attributes, out _),
                AuditContext,
                cancellationToken: Cancellation);
        }
    });

    // Thumbprints as Windows shows them may carry spaces or colons.
    private static string NormalizeThumbprint(string thumbprint) =>
        new string(thumbprint.Where(character => !char.IsWhiteSpace(character) && character != ':').ToArray()).ToUpperInvariant();
}
