using System;
using System.Linq;
using System.Management.Automation;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Commands;

/// <summary>
/// Get-UserSmimeCertificate: lists the certificates published for recipients, optionally only those expired or
/// expiring soon.
/// </summary>
[Cmdlet(VerbsCommon.Get, "UserSmimeCertificate")]
[OutputType(typeof(SmimeUserCertificate))]
public sealed class GetUserSmimeCertificateCommand : UserSmimeCertificateCmdletBase
{
    /// <summary>The recipients, by primary or proxy address; wildcards allowed. All recipients when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PrimarySmtpAddress")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Identity { get; set; }

    /// <summary>Only certificates that are valid now and expire within this time.</summary>
    [Parameter]
    public TimeSpan? ExpiringWithin { get; set; }

    /// <summary>Only certificates that have expired (with -ExpiringWithin: those too).</summary>
    [Parameter]
    public SwitchParameter Expired { get; set; }

    /// <summary>Only the certificates of one attribute: UserCertificate or UserSMIMECertificate.</summary>
    [Parameter]
    [ValidateSet("UserCertificate", "UserSMIMECertificate", "Both")]
    public string Attribute { get; set; } = "Both";

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Organization, () =>
    {
        string organization = ResolveOrganization(Organization);
        if (Identity is null)
        {
            WriteRecipients(organization, _ => true);
            return;
        }

        foreach (string identity in Identity)
        {
            if (WildcardPattern.ContainsWildcardCharacters(identity))
            {
                var pattern = new WildcardPattern(identity, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
                WriteRecipients(organization, recipient => pattern.IsMatch(recipient.PrimarySmtpAddress) || recipient.ProxyAddresses.Any(pattern.IsMatch));
                continue;
            }

            RunForInput(identity, () =>
            {
                SmimeRecipient recipient = Store.ReadRecipient(organization, identity)
                    ?? throw new SmimeRecipientNotFoundException(organization, identity);
                WriteCertificates(recipient, Include);
            });
        }
    });

    private void WriteRecipients(string organization, Func<SmimeRecipient, bool> match)
    {
        foreach (SmimeRecipient recipient in Store.ReadRecipients(organization))
        {
            if (match(recipient))
            {
                WriteCertificates(recipient, Include);
            }
        }
    }

    private bool Include(SmimeUserCertificate certificate)
    {
        if (!string.Equals(Attribute, "Both", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(Attribute, certificate.Attribute, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (ExpiringWithin is null && !Expired)
        {
            return true;
        }

        DateTime now = DateTime.Now;
        bool expired = certificate.NotAfter < now;
        bool expiring = !expired && ExpiringWithin is TimeSpan window && certificate.NotAfter <= now + window;
        return (Expired && expired) || expiring;
    }
}
