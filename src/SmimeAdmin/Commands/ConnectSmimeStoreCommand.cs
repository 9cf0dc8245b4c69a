using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Commands;

/// <summary>Connect-SmimeStore: chooses the store (and default organization) for the rest of the session.</summary>
[Cmdlet(VerbsCommunications.Connect, "SmimeStore", DefaultParameterSetName = FolderSet)]
[OutputType(typeof(SmimeStoreInfo))]
public sealed class ConnectSmimeStoreCommand : SmimeCmdletBase
{
    private const string FolderSet = "Folder";
    private const string LdapSet = "Ldap";

    /// <summary>The store folder; created on the first change.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FolderSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The directory: ldap://host[:port] or ldaps://host[:port].</summary>
    [Parameter(Mandatory = true, ParameterSetName = LdapSet)]
    [ValidateNotNull]
    public Uri? LdapUri { get; set; }

    /// <summary>The entry under which users are searched and organizations are kept.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LdapSet)]
    [ValidateNotNullOrEmpty]
    [Alias("SearchBase")]
    public string BaseDN { get; set; } = string.Empty;

    /// <summary>The bind DN (or user name) and password; anonymous when omitted. Kept in memory only.</summary>
    [Parameter(ParameterSetName = LdapSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Upgrades an ldap:// connection with StartTLS before binding.</summary>
    [Parameter(ParameterSetName = LdapSet)]
    public SwitchParameter StartTls { get; set; }

    /// <summary>Files of CA (or server) certificates to trust for TLS besides the system's trust store.</summary>
    [Parameter(ParameterSetName = LdapSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? TrustedCertificate { get; set; }

    /// <summary>The organization used when -Identity is omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string Organization { get; set; } = OrganizationName.Default;

    /// <summary>How long a change waits for another writer's lock.</summary>
    [Parameter(ParameterSetName = FolderSet)]
    public TimeSpan LockTimeout { get; set; } = FileSmimeStoreOptions.DefaultLockTimeout;

    /// <summary>Writes the connected store's description.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(ParameterSetName == LdapSet ? LdapUri : Path, () =>
    {
        string organization = OrganizationName.Validate(Organization);
        if (ParameterSetName == LdapSet)
        {
            ConnectDirectory(organization);
            return;
        }

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

    private void ConnectDirectory(string organization)
    {
        Uri uri = LdapUri!;
        if (!uri.IsAbsoluteUri || (uri.Scheme != "ldap" && uri.Scheme != "ldaps") || string.IsNullOrEmpty(uri.Host)
            || (uri.AbsolutePath.Length > 1))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException(string.Format(CultureInfo.CurrentCulture, Strings.LdapUriInvalid, uri)),
                ErrorMap.InvalidLdapUri,
                ErrorCategory.InvalidArgument,
                uri));
        }

        if (StartTls && uri.Scheme == "ldaps")
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException(string.Format(CultureInfo.CurrentCulture, Strings.LdapStartTlsWithLdaps, uri)),
                ErrorMap.InvalidLdapUri,
                ErrorCategory.InvalidArgument,
                uri));
        }

        var options = new LdapStoreOptions(uri, BaseDN)
        {
            // The password stays in memory, in the connection's credential; it is never logged or written.
            Credential = Credential?.GetNetworkCredential(),
            StartTls = StartTls,
            TrustedCertificates = ReadTrustedCertificates(),
        };
        ISmimeStore store = DirectoryStoreLoader.Connect(options);
        SmimeSession session = SmimeSession.Connect(store, organization);
        WriteVerbose(string.Format(CultureInfo.CurrentCulture, Strings.ConnectedToDirectory, store.Location, options.Credential?.UserName ?? "anonymous"));
        if (PassThru)
        {
            WriteObject(GetSmimeStoreCommand.Describe(session));
        }
    }

    private List<byte[]> ReadTrustedCertificates()
    {
        var certificates = new List<byte[]>();
        if (TrustedCertificate is null)
        {
            return certificates;
        }

        List<(string File, byte[] Content)> files = ReadFiles(TrustedCertificate, out bool anyFailed);
        if (anyFailed)
        {
            ThrowTerminatingError(new ErrorRecord(
                new FileNotFoundException(string.Format(CultureInfo.CurrentCulture, Strings.PathNotFound, string.Join(", ", TrustedCertificate))),
                ErrorMap.PathNotFound,
                ErrorCategory.ObjectNotFound,
                TrustedCertificate));
        }

        foreach ((string file, byte[] content) in files)
        {
            try
            {
                IReadOnlyList<byte[]> read = CertificateFile.Read(content).Certificates;
                if (read.Count == 0)
                {
                    ThrowTerminatingError(new ErrorRecord(
                        new FormatException(string.Format(CultureInfo.CurrentCulture, Strings.LdapTrustedCertificateEmpty, file)),
                        ErrorMap.InvalidCertificateData,
                        ErrorCategory.InvalidData,
                        file));
                }

                certificates.AddRange(read);
            }
            catch (CertificateFormatException ex)
            {
                ThrowTerminatingError(InvalidCertificateData(ex, file));
            }
        }

        return certificates;
    }
}
