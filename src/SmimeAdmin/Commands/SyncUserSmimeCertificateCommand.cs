using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Validation;

namespace SmimeAdmin.Commands;

/// <summary>
/// Sync-UserSmimeCertificate: copies users' userCertificate and userSMIMECertificate values from a source store (an
/// on-premises directory) into the connected organization, as directory synchronization does for Exchange Online.
/// </summary>
[Cmdlet(VerbsData.Sync, "UserSmimeCertificate", SupportsShouldProcess = true)]
[OutputType(typeof(SmimeCertificateSyncResult))]
public sealed class SyncUserSmimeCertificateCommand : SmimeCmdletBase
{
    private const int ProgressActivityId = 0x5C;
    private static readonly string[] s_everyone = { "*" };

    /// <summary>The store to copy from, as Connect-SmimeStore -PassThru or Get-SmimeStore returned it.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public SmimeStoreInfo? Source { get; set; }

    /// <summary>The organization read in the source; the source's own when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SourceOrganization { get; set; }

    /// <summary>The store to copy into; the session's when omitted.</summary>
    [Parameter]
    [ValidateNotNull]
    public SmimeStoreInfo? Destination { get; set; }

    /// <summary>The organization written; the destination's default when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string? Organization { get; set; }

    /// <summary>Primary SMTP addresses (wildcards allowed) of the recipients to sync; all when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Filter { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Source, () =>
    {
        ISmimeStore source = Source!.Store ?? throw new ArgumentException(Strings.SyncStoreNotConnected, nameof(Source));
        ISmimeStore destination = Destination is null ? Store : Destination.Store ?? throw new ArgumentException(Strings.SyncStoreNotConnected, nameof(Destination));
        string sourceOrganization = OrganizationName.Validate(SourceOrganization ?? Source.Organization);
        string organization = OrganizationName.Validate(Organization ?? Destination?.Organization ?? Session.Organization);

        SmimeOrganizationConfig config = destination.ReadConfig(organization);
        var validator = new SmimeCertificateValidator(
            SmimeCertificateCollection.FromRecord(config.CertificateCollection),
            config.Settings,
            new HttpCrlSource(),
            new CrlCache(),
            () => DateTime.UtcNow);
        var sync = new UserCertificateSync(source, sourceOrganization, destination, organization, validator, () => DateTime.UtcNow);

        WildcardPattern[] patterns = (Filter ?? s_everyone)
            .Select(pattern => new WildcardPattern(pattern, WildcardOptions.IgnoreCase))
            .ToArray();
        var progress = new ProgressRecord(ProgressActivityId, string.Format(CultureInfo.CurrentCulture, Strings.SyncActivity, source.Location, destination.Location), Strings.SyncStarting);
        int done = 0;
        SmimeSyncResult result;
        try
        {
            result = sync.Run(
                address => patterns.Any(pattern => pattern.IsMatch(address)),
                (address, action) => ShouldProcess(address, string.Format(CultureInfo.CurrentCulture, Strings.SyncAction, action, organization)),
                AuditContext,
                new SyncProgress(item =>
                {
                    // Reported on the pipeline thread: Run calls back synchronously.
                    if (++done % 100 == 0)
                    {
                        progress.StatusDescription = string.Format(CultureInfo.CurrentCulture, Strings.SyncProgress, done, item.Address);
                        WriteProgress(progress);
                    }
                }),
                Cancellation);
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }

        foreach (SmimeSyncItem item in result.Items)
        {
            int certificateProblems = item.Error is null ? item.Problems.Count : item.Problems.Count - 1;
            for (int i = 0; i < certificateProblems; i++)
            {
                WriteError(new ErrorRecord(
                    new InvalidOperationException(string.Format(CultureInfo.CurrentCulture, Strings.SyncRecipientProblem, item.Address, item.Problems[i])),
                    ErrorMap.SyncCertificateNotValid,
                    ErrorCategory.SecurityError,
                    item.Address));
            }

            if (item.Error is Exception error)
            {
                WriteError(ErrorMap.ToInputErrorRecord(error, item.Address));
            }
        }

        if (result.Error is Exception incomplete)
        {
            WriteError(ErrorMap.ToErrorRecord(incomplete, destination.Location));
        }

        WriteObject(new SmimeCertificateSyncResult(
            source.Location + " (" + sourceOrganization + ")",
            destination.Location,
            organization,
            result));
    });

    private sealed class SyncProgress : IProgress<SmimeSyncItem>
    {
        private readonly Action<SmimeSyncItem> _report;

        public SyncProgress(Action<SmimeSyncItem> report) => _report = report;

        public void Report(SmimeSyncItem value) => _report(value);
    }
}
