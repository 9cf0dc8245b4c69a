using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SmimeAdmin.Core.Certificates;

namespace SmimeAdmin.Commands;

/// <summary>Get-SmimeCertificateCollection: the certificates of the organization's virtual certificate collection.</summary>
[Cmdlet(VerbsCommon.Get, "SmimeCertificateCollection")]
[OutputType(typeof(SmimeCertificateInfo))]
public sealed class GetSmimeCertificateCollectionCommand : SmimeCollectionCmdletBase
{
    /// <summary>The organization; the session's organization when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string? Identity { get; set; }

    /// <summary>Only the certificates with these thumbprints (case-insensitive).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Thumbprint { get; set; }

    /// <summary>Only the certificates whose subject matches this pattern; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Subject { get; set; }

    /// <summary>Only the certificates already expired.</summary>
    [Parameter]
    public SwitchParameter Expired { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Identity, () =>
    {
        string organization = ResolveOrganization(Identity);
        IEnumerable<SmimeCaCertificate> certificates = ReadCollection(organization).Certificates;
        if (Thumbprint is not null)
        {
            var wanted = new HashSet<string>(Thumbprint.Select(t => t.Replace(" ", string.Empty)), StringComparer.OrdinalIgnoreCase);
            certificates = certificates.Where(c => wanted.Contains(c.Thumbprint));
        }

        if (Subject is not null)
        {
            var pattern = WildcardPattern.Get(Subject, WildcardOptions.IgnoreCase);
            certificates = certificates.Where(c => pattern.IsMatch(c.Subject));
        }

        if (Expired)
        {
            DateTime now = DateTime.UtcNow;
            certificates = certificates.Where(c => SmimeCertificateCollection.ValidityAt(c, now) == CertificateValidity.Expired);
        }

        WriteCertificates(organization, certificates);
    });
}
