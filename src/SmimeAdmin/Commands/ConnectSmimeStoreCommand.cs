using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Commands;

/// <summary>Connect-SmimeStore: chooses the store (and default organization) for the rest of the session.</summary>
[Cmdlet(VerbsCommunications.Connect, "SmimeStore", DefaultParameterSetName = FolderSet)]
[OutputType(typeof(SmimeStoreInfo))]
public sealed class ConnectSmimeStoreCommand : SmimeCmdletBase
{
    private const string FolderSet = "Folder";

    /// <summary>The store folder; created on the first change.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FolderSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The organization used when -Identity is omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string Organization { get; set; } = OrganizationName.Default;

    /// <summary>How long a change waits for another writer's lock.</summary>
    [Parameter]
    public TimeSpan LockTimeout { get; set; } = FileSmimeStoreOptions.DefaultLockTimeout;

    /// <summary>Writes the connected store's description.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Path, () =>
    {
        string organization = OrganizationName.Validate(Organization);
        if (LockTimeout < TimeSpan.Zero)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentOutOfRangeException(nameof(LockTimeout), LockTimeout, Strings.LockTimeoutNegative),
                ErrorMap.InvalidLockTimeout,
                ErrorCategory.InvalidArgument,
                LockTimeout));
        }

        string folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (File.Exists(folder))
        {
            ThrowTerminatingError(new ErrorRecord(
                new IOException(string.Format(CultureInfo.CurrentCulture, Strings.StorePathIsFile, folder)),
                ErrorMap.StorePathNotFolder,
                ErrorCategory.InvalidArgument,
                Path));
        }

        var store = new FileSmimeStore(folder, new FileSmimeStoreOptions { LockTimeout = LockTimeout });
        SmimeSession session = SmimeSession.Connect(store, organization);
        if (PassThru)
        {
            WriteObject(GetSmimeStoreCommand.Describe(session));
        }
    });
}
