using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Security;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Messages;
using SmimeAdmin.Core.Publishing;

namespace SmimeAdmin.Commands;

/// <summary>
/// What Protect- and Unprotect-SmimeMessage share beyond reading messages: a .pfx file's password, and results
/// written to files (-OutFile, -NoClobber).
/// </summary>
public abstract class SmimeMessageWriterCmdletBase : SmimeMessageCmdletBase
{
    /// <summary>The password of the .pfx file.</summary>
    [Parameter]
    public SecureString? Password { get; set; }

    /// <summary>The file to write each result to, or a folder to write each into.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>Refuses to overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>
    /// Reads keys from a .pfx file with -Password; a missing or unreadable file, a wrong password or a file in no key
    /// format is a terminating error naming the file.
    /// </summary>
    internal T ReadPfx<T>(string path, Func<byte[], string?, T> read)
        where T : class
    {
        string file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        byte[] content = Array.Empty<byte>();
        try
        {
            content = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ItemNotFoundException(string.Format(CultureInfo.CurrentCulture, Strings.PathNotFound, file), ex),
                ErrorMap.PathNotFound,
                ErrorCategory.ObjectNotFound,
                file));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorMap.FileUnreadable, ErrorCategory.ReadError, file));
        }

        try
        {
            return read(content, Plain(Password));
        }
        catch (Exception ex) when (ex is CertificateFormatException or CertificatePasswordException or SmimeMessageException)
        {
            ThrowTerminatingError(ErrorMap.ToErrorRecord(ex, file));
            throw;
        }
    }

    /// <summary>Whether -NoClobber refuses to write <paramref name="file"/>; the error is written then.</summary>
    internal bool RefusesToOverwrite(string file)
    {
        if (NoClobber && File.Exists(file))
        {
            WriteError(FileExistsError(file));
            return true;
        }

        return false;
    }
}
