using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Validation;

namespace SmimeAdmin.Commands;

/// <summary>What every SmimeAdmin cmdlet shares: the session's store, the target organization, error mapping.</summary>
public abstract class SmimeCmdletBase : PSCmdlet, IDisposable
{
    // CRLs are kept between calls in one session, until their nextUpdate.
    private static readonly CrlCache s_crlCache = new();
    private static readonly HttpCrlSource s_crlSource = new();

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

    /// <summary>
    /// Resolves file-system paths (wildcards allowed) and reads each file. A path that matches no file
    /// (<c>PathNotFound</c>), is not a file-system path (<c>PathNotFileSystem</c>) or cannot be read
    /// (<c>FileUnreadable</c>) gets a non-terminating error naming it, and reading goes on.
    /// </summary>
    /// <param name="patterns">The paths, as the user gave them.</param>
    /// <param name="anyFailed">Whether any error was written.</param>
    /// <returns>The full path and content of every file read.</returns>
    internal List<(string File, byte[] Content)> ReadFiles(IEnumerable<string> patterns, out bool anyFailed)
    {
        var files = new List<(string, byte[])>();
        anyFailed = false;
        foreach (string pattern in patterns)
        {
            Collection<string> paths;
            ProviderInfo? provider = null;
            try
            {
                paths = ResolvePaths(pattern, out provider);
            }
            catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException)
            {
                paths = new Collection<string>();
            }

            if (provider is not null && provider.Name != "FileSystem")
            {
                WriteError(new ErrorRecord(
                    new ArgumentException(string.Format(CultureInfo.CurrentCulture, Strings.PathNotFileSystem, pattern, provider.Name)),
                    ErrorMap.PathNotFileSystem,
                    ErrorCategory.InvalidArgument,
                    pattern));
                anyFailed = true;
                continue;
            }

            if (paths.Count == 0)
            {
                // A wildcard that matches nothing resolves to no file rather than failing.
                WriteError(new ErrorRecord(
                    new ItemNotFoundException(string.Format(CultureInfo.CurrentCulture, Strings.PathNotFound, pattern)),
                    ErrorMap.PathNotFound,
                    ErrorCategory.ObjectNotFound,
                    pattern));
                anyFailed = true;
            }

            foreach (string path in paths)
            {
                try
                {
                    files.Add((path, File.ReadAllBytes(path)));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    WriteError(new ErrorRecord(ex, ErrorMap.FileUnreadable, ErrorCategory.ReadError, path));
                    anyFailed = true;
                }
            }
        }

        return files;
    }

    // A path without wildcards needs no globbing, and a rooted file-system path not even the session's drives, which
    // cost more than reading a small file: bulk input such as a CSV of users resolves one path per row. The provider
    // is null when the path was taken as it is.
    private Collection<string> ResolvePaths(string pattern, out ProviderInfo? provider)
    {
        if (WildcardPattern.ContainsWildcardCharacters(pattern))
        {
            return GetResolvedProviderPathFromPSPath(pattern, out provider);
        }

        if (IsRootedFileSystemPath(pattern))
        {
            provider = null;
            return File.Exists(pattern) || Directory.Exists(pattern) ? new Collection<string> { pattern } : new Collection<string>();
        }

        string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(pattern, out provider, out _);
        bool exists = provider.Name != "FileSystem" || File.Exists(path) || Directory.Exists(path);
        return exists ? new Collection<string> { path } : new Collection<string>();
    }

    // /etc/x.cer on Unix, C:\x.cer or \\server\share\x.cer on Windows: paths that name the same file to the FileSystem
    // provider from any location. Drive-qualified PowerShell paths (TestDrive:\x.cer, Cert:\) and paths rooted at
    // the current drive (\x.cer on Windows) are left to the provider.
    private static bool IsRootedFileSystemPath(string path)
    {
        bool windows = Path.DirectorySeparatorChar == '\\';
        bool rooted = windows
            ? (path.Length > 2 && char.IsLetter(path[0]) && path[1] == ':' && (path[2] == '\\' || path[2] == '/'))
                || path.StartsWith(@"\\", StringComparison.Ordinal)
            : path.StartsWith("/", StringComparison.Ordinal);
        return rooted && path.IndexOf(':', windows ? 2 : 0) < 0;
    }

    /// <summary>
    /// The error for input in no certificate format; <paramref name="source"/> names the file or parameter, and
    /// <paramref name="format"/> (the source and the problem) says what is accepted, CA certificate files by default.
    /// </summary>
    internal static ErrorRecord InvalidCertificateData(CertificateFormatException exception, string source, string? format = null) => new(
        new FormatException(string.Format(CultureInfo.CurrentCulture, format ?? Strings.CertificateDataInvalid, source, exception.Message), exception),
        ErrorMap.InvalidCertificateData,
        ErrorCategory.InvalidData,
        source);

    /// <summary>
    /// The full path of a file to write; with <paramref name="noClobber"/>, a terminating FileExists error when it
    /// exists.
    /// </summary>
    internal string ResolveOutputFile(string path, bool noClobber)
    {
        string file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        if (noClobber && File.Exists(file))
        {
            ThrowTerminatingError(FileExistsError(file));
        }

        return file;
    }

    /// <summary>The error for a file that exists when -NoClobber was given.</summary>
    internal static ErrorRecord FileExistsError(string file) => new(
        new IOException(string.Format(CultureInfo.CurrentCulture, Strings.FileExists, file)),
        ErrorMap.FileExists,
        ErrorCategory.ResourceExists,
        file);

    /// <summary>Writes an exported file and outputs its FileInfo; a terminating ExportFailed error when it cannot.</summary>
    internal void WriteOutputFile(string file, byte[] content)
    {
        try
        {
            File.WriteAllBytes(file, content);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorMap.ExportFailed, ErrorCategory.WriteError, file));
        }

        WriteObject(new FileInfo(file));
    }

    /// <summary>
    /// Previews a change of the organization's configuration, asks ShouldProcess with the action
    /// <paramref name="describeAction"/> makes of the planned changes, stores it, and writes the stored configuration when <paramref name="passThru"/>
    /// is set. A change that changes nothing gets Exchange's warning and stores nothing.
    /// </summary>
    internal void UpdateConfig(
        string organization,
        Func<SmimeConfigDraft, IReadOnlyList<SmimeSettingChange>> change,
        Func<string, string> describeAction,
        bool passThru)
    {
        SmimeOrganizationConfig current = Store.ReadConfig(organization);
        IReadOnlyList<SmimeSettingChange> planned = change(new SmimeConfigDraft(current.Settings.Clone(), current.CertificateCollection));
        if (planned.Count == 0)
        {
            WarnNothingChanged(organization);
            WritePassThru(current, passThru);
            return;
        }

        string action = describeAction(string.Join("; ", planned.Select(item => item.ToString())));
        if (!ShouldProcess(organization + "\\" + SmimeConfig.ObjectName, action))
        {
            return;
        }

        // The change is applied again to the state read under the lock, so a concurrent writer's changes to
        // other settings survive.
        SmimeConfigUpdateResult result = Store.UpdateConfig(organization, change, AuditContext, Cancellation);
        if (result.Changes.Count == 0)
        {
            WarnNothingChanged(organization);
        }

        WritePassThru(result.Config, passThru);
    }

    private void WritePassThru(SmimeOrganizationConfig config, bool passThru)
    {
        if (passThru)
        {
            WriteObject(new SmimeConfig(config));
        }
    }

    /// <summary>Exchange's warning for a Set- call that changed nothing.</summary>
    internal void WarnNothingChanged(string organization) =>
        WriteWarning(string.Format(CultureInfo.CurrentCulture, Strings.NoSettingsModified, organization + "\\" + SmimeConfig.ObjectName));

    /// <summary>Reads a password the user typed as a SecureString; <see langword="null"/> stays <see langword="null"/>.</summary>
    internal static string? Plain(SecureString? password) => password is null ? null : new NetworkCredential(string.Empty, password).Password;

    /// <summary>A validator for an organization's collection and settings, sharing the session's CRL cache.</summary>
    internal static SmimeCertificateValidator CreateValidator(SmimeCertificateCollection collection, SmimeSettings settings) => new(
        collection,
        settings,
        s_crlSource,
        s_crlCache,
        () => DateTime.UtcNow);

    /// <summary>
    /// Runs <paramref name="body"/> for one pipeline input, turning a failure other than PowerShell's own into a
    /// non-terminating ErrorRecord whose target is <paramref name="target"/>, so that the next input is processed.
    /// Stopping (Ctrl+C) still ends the command.
    /// </summary>
    /// <returns>Whether the body ran without failing.</returns>
    internal bool RunForInput(object? target, Action body)
    {
        try
        {
            body();
            return true;
        }
        catch (OperationCanceledException ex)
        {
            ThrowTerminatingError(ErrorMap.ToErrorRecord(ex, target));
            return false;
        }
        catch (Exception ex) when (ex is not RuntimeException)
        {
            WriteError(ErrorMap.ToErrorRecord(ex, target));
            return false;
        }
    }

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
