using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Commands;

/// <summary>What the certificate-collection cmdlets share: reading, checking and storing the collection.</summary>
public abstract class SmimeCollectionCmdletBase : SmimeCmdletBase
{
    internal SmimeCertificateCollection ReadCollection(string organization) =>
        SmimeCertificateCollection.FromRecord(Store.ReadConfig(organization).CertificateCollection);

    /// <summary>Writes one error per certificate that breaks the collection rules.</summary>
    /// <returns><see langword="true"/> when there was any.</returns>
    internal bool ReportCollectionProblems(SmimeCertificateCollection collection)
    {
        IReadOnlyList<CertificateCollectionProblem> problems = CertificateCollectionValidator.Validate(collection.Certificates);
        foreach (CertificateCollectionProblem problem in problems)
        {
            WriteError(new ErrorRecord(
                new InvalidOperationException(string.Format(CultureInfo.CurrentCulture, Strings.NothingStored, problem.Message)),
                problem.Code.ToString(),
                ErrorCategory.InvalidData,
                problem.Certificate.Thumbprint));
        }

        return problems.Count > 0;
    }

    /// <summary>The error for a certificate that is already expired.</summary>
    internal static ErrorRecord ExpiredError(SmimeCaCertificate certificate) => new(
        new InvalidOperationException(string.Format(
            CultureInfo.CurrentCulture,
            Strings.CertificateExpired,
            certificate.Subject,
            certificate.Thumbprint,
            certificate.NotAfter)),
        ErrorMap.CertificateExpired,
        ErrorCategory.LimitsExceeded,
        certificate.Thumbprint);

    /// <summary>Stores <paramref name="collection"/> as the organization's collection, audited.</summary>
    internal SmimeConfigUpdateResult StoreCollection(string organization, SmimeCertificateCollection collection)
    {
        SmimeCertificateCollectionRecord? record = collection.ToRecord();
        return Store.UpdateConfig(
            organization,
            draft => draft.ReplaceCertificateCollection(record) is SmimeSettingChange change ? new[] { change } : Array.Empty<SmimeSettingChange>(),
            AuditContext,
            Cancellation);
    }

    /// <summary>Describes a replacement for ShouldProcess: how many certificates come and go.</summary>
    internal static string DescribeReplacement(SmimeCertificateCollection current, SmimeCertificateCollection next)
    {
        var before = new HashSet<string>(current.Certificates.Select(c => c.Thumbprint), StringComparer.Ordinal);
        var after = new HashSet<string>(next.Certificates.Select(c => c.Thumbprint), StringComparer.Ordinal);
        return string.Format(
            CultureInfo.CurrentCulture,
            Strings.ReplaceCollectionAction,
            current.Certificates.Count,
            next.Certificates.Count,
            after.Count(t => !before.Contains(t)),
            before.Count(t => !after.Contains(t)));
    }

    /// <summary>Writes the collection's certificates as output objects.</summary>
    internal void WriteCertificates(string organization, IEnumerable<SmimeCaCertificate> certificates)
    {
        DateTime now = DateTime.UtcNow;
        foreach (SmimeCaCertificate certificate in certificates)
        {
            WriteObject(new SmimeCertificateInfo(organization, certificate, now));
        }
    }
}
