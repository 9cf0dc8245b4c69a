using System;
using System.Globalization;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Threading;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Commands;

/// <summary>What every SmimeAdmin cmdlet shares: the session's store, the target organization, error mapping.</summary>
public abstract class SmimeCmdletBase : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private SmimeSession? _session;

    /// <summary>Cancelled when the user presses Ctrl+C.</summary>
    internal CancellationToken Cancellation => _cancellation.Token;

    internal SmimeSession Session => _session ??= SmimeSession.Current();

    internal ISmimeStore Store => Session.Store;

    /// <summary>The audit identity of this invocation.</summary>
    internal SmimeAuditContext AuditContext => new(
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
            ? Environment.UserDomainName + "\\" + Environment.UserName
            : Environment.UserName,
        Environment.MachineName,
        MyInvocation.MyCommand.Name);

    /// <inheritdoc/>
    public void Dispose()
    {
        _cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _cancellation.Cancel();

    /// <summary>The organization named by <paramref name="identity"/>, else the session's.</summary>
    internal string ResolveOrganization(string? identity) =>
        OrganizationName.Validate(string.IsNullOrWhiteSpace(identity) ? Session.Organization : identity!.Trim());

    /// <summary>Exchange's warning for a Set- call that changed nothing.</summary>
    internal void WarnNothingChanged(string organization) =>
        WriteWarning(string.Format(CultureInfo.CurrentCulture, Strings.NoSettingsModified, organization + "\\" + SmimeConfig.ObjectName));

    /// <summary>
    /// Runs <paramref name="body"/>, turning any failure other than PowerShell's own into a terminating
    /// ErrorRecord whose target is <paramref name="target"/>.
    /// </summary>
    internal void Run(object? target, Action body)
    {
        try
        {
            body();
        }
        catch (Exception ex) when (ex is not RuntimeException)
        {
            ThrowTerminatingError(ErrorMap.ToErrorRecord(ex, target));
        }
    }
}
