using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Commands;

/// <summary>What the cmdlets about users' published certificates share: the organization and the attribute names.</summary>
public abstract class UserSmimeCertificateCmdletBase : SmimeCmdletBase
{
    /// <summary>The organization; the session's organization when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string? Organization { get; set; }

    /// <summary>The attributes a -Attribute value names: UserCertificate, UserSMIMECertificate or Both.</summary>
    internal static UserCertificateAttributes ParseAttributes(string? attribute) => attribute switch
    {
        _ when string.Equals(attribute, SmimeUserCertificate.UserCertificateName, StringComparison.OrdinalIgnoreCase) => UserCertificateAttributes.UserCertificate,
        _ when string.Equals(attribute, SmimeUserCertificate.UserSmimeCertificateName, StringComparison.OrdinalIgnoreCase) => UserCertificateAttributes.UserSmimeCertificate,
        _ => UserCertificateAttributes.Both,
    };

    /// <summary>The directory names of the attributes, for messages.</summary>
    internal static string DescribeAttributes(UserCertificateAttributes attributes) => attributes switch
    {
        UserCertificateAttributes.UserCertificate => SmimeUserCertificate.UserCertificateName,
        UserCertificateAttributes.UserSmimeCertificate => SmimeUserCertificate.UserSmimeCertificateName,
        _ => SmimeUserCertificate.UserCertificateName + ", " + SmimeUserCertificate.UserSmimeCertificateName,
    };

    /// <summary>Writes the recipient's published certificates that <paramref name="include"/> accepts (all when null).</summary>
    internal void WriteCertificates(SmimeRecipient recipient, Func<SmimeUserCertificate, bool>? include)
    {
        DateTime nowUtc = DateTime.UtcNow;
        IEnumerable<SmimeUserCertificate> certificates = PublishedUserCertificate.Read(recipient)
            .Select(published => new SmimeUserCertificate(recipient, published, nowUtc));
        foreach (SmimeUserCertificate certificate in include is null ? certificates : certificates.Where(include))
        {
            WriteObject(certificate);
        }
    }
}
