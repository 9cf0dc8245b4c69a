using System;
using System.Linq;
using System.Management.Automation;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Commands;

/// <summary>Get-SmimeAuditLog: the recorded changes of an organization, one object per property changed.</summary>
[Cmdlet(VerbsCommon.Get, "SmimeAuditLog")]
[OutputType(typeof(SmimeAuditEntry))]
public sealed class GetSmimeAuditLogCommand : SmimeCmdletBase
{
    /// <summary>The organization; the session's organization when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string? Identity { get; set; }

    /// <summary>Only changes at or after this time (local time unless the value says UTC).</summary>
    [Parameter]
    public DateTime? Start { get; set; }

    /// <summary>Only changes at or before this time (local time unless the value says UTC).</summary>
    [Parameter]
    public DateTime? End { get; set; }

    /// <summary>Only changes of these properties; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Property { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Identity, () =>
    {
        string organization = ResolveOrganization(Identity);
        DateTime? startUtc = Start?.ToUniversalTime();
        DateTime? endUtc = End?.ToUniversalTime();
        WildcardPattern[]? patterns = Property?
            .Select(pattern => WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase))
            .ToArray();

        foreach (SmimeAuditRecord record in Store.ReadAuditLog(organization))
        {
            if ((startUtc is not null && record.TimeUtc < startUtc) || (endUtc is not null && record.TimeUtc > endUtc))
            {
                continue;
            }

            foreach (SmimeSettingChange change in record.Changes)
            {
                if (patterns is null || patterns.Any(pattern => pattern.IsMatch(change.Name)))
                {
                    WriteObject(new SmimeAuditEntry(
                        record.TimeUtc,
                        record.Organization,
                        record.Context.User,
                        record.Context.Host,
                        record.Context.Command,
                        change.Name,
                        SmimeSetting.FormatValue(change.OldValue),
                        SmimeSetting.FormatValue(change.NewValue)));
                }
            }
        }
    });
}
