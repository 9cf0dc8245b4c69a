using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Text;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Messages;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Validation;

namespace SmimeAdmin.Commands;

/// <summary>
/// What Protect-, Unprotect- and Test-SmimeMessage share: messages from files or the pipeline, the organization, the
/// CRL cache, per-message errors and writing results to files.
/// </summary>
public abstract class SmimeMessageCmdletBase : SmimeCmdletBase
{
    /// <summary>The parameter set of file input.</summary>
    protected const string PathSet = "Path";

    /// <summary>The parameter set of pipeline input.</summary>
    protected const string MessageSet = "Message";

    // CRLs are kept between calls in one session, until their nextUpdate.
    private static readonly CrlCache s_crlCache = new();
    private static readonly HttpCrlSource s_crlSource = new();

    private readonly Dictionary<string, SmimeMessageOpener> _openers = new(StringComparer.OrdinalIgnoreCase);
    private int _messageNumber;

    /// <summary>Message files (.eml); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>A message: MIME text, its bytes, a file from Get-ChildItem, or the output of Protect-/Unprotect-SmimeMessage.</summary>
    [Parameter(Mandatory = true, ParameterSetName = MessageSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public object Message { get; set; } = string.Empty;

    /// <summary>The organization whose settings, collection and recipients apply; the session's when omitted.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(OrganizationCompleter))]
    public string? Organization { get; set; }

    internal static CrlCache CrlCache => s_crlCache;

    internal static HttpCrlSource CrlSource => s_crlSource;

    /// <summary>
    /// Reads and opens each input message (verifying, decrypting with the opener's keys, unwrapping). A message that
    /// cannot be opened gets its error and is passed over, so the next one is still handled.
    /// </summary>
    internal IEnumerable<(string Source, string Name, SmimeOpenedMessage Opened)> OpenMessages(SmimeMessageOpener opener)
    {
        foreach ((string source, string name, byte[] content) in ReadMessages())
        {
            SmimeOpenedMessage opened;
            try
            {
                opened = opener.Open(content, Cancellation);
            }
            catch (SmimeMessageException ex)
            {
                WriteMessageError(ex, source);
                continue;
            }

            yield return (source, name, opened);
        }
    }

    /// <summary>The messages of this pipeline item, each with a name for errors and output files.</summary>
    internal List<(string Source, string Name, byte[] Content)> ReadMessages()
    {
        if (ParameterSetName == PathSet)
        {
            return ReadMessageFiles(Path);
        }

        object value = Message is PSObject wrapped ? wrapped.BaseObject : Message;
        if (value is FileInfo file)
        {
            return ReadMessageFiles(new[] { WildcardPattern.Escape(file.FullName) });
        }

        byte[]? bytes = value switch
        {
            string text => Encoding.UTF8.GetBytes(text),
            byte[] raw => raw,
            SmimeMessage protectedMessage => protectedMessage.GetBytes(),
            SmimeUnprotectedMessage opened => opened.GetBytes(),
            _ => null,
        };
        var messages = new List<(string, string, byte[])>();
        if (bytes is null)
        {
            WriteError(new ErrorRecord(
                new ArgumentException(string.Format(CultureInfo.CurrentCulture, Strings.MessageInputInvalid, value.GetType().FullName)),
                ErrorMap.InvalidMessageInput,
                ErrorCategory.InvalidArgument,
                value));
            return messages;
        }

        string name = value is SmimeMessage { Path: string written }
            ? System.IO.Path.GetFileNameWithoutExtension(written)
            : "message" + (++_messageNumber).ToString(CultureInfo.InvariantCulture);
        messages.Add((name, name, bytes));
        return messages;
    }

    /// <summary>Reports a message that could not be handled and lets the pipeline go on with the next.</summary>
    internal void WriteMessageError(Exception exception, string source) => WriteError(ErrorMap.ToErrorRecord(exception, source));

    /// <summary>
    /// The file to write a result to: <paramref name="outFile"/> itself, or, when it names an existing folder, a file in it
    /// named after the message; <paramref name="suffix"/> tells apart several results of one message.
    /// </summary>
    internal string OutputPath(string outFile, string name, string suffix)
    {
        string target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(outFile);
        if (Directory.Exists(target))
        {
            return System.IO.Path.Combine(target, name + suffix + ".eml");
        }

        return suffix.Length == 0
            ? target
            : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(target) ?? string.Empty, System.IO.Path.GetFileNameWithoutExtension(target) + suffix + System.IO.Path.GetExtension(target));
    }

    /// <inheritdoc/>
    protected override void EndProcessing() => DisposeOpeners();

    private List<(string Source, string Name, byte[] Content)> ReadMessageFiles(IEnumerable<string> patterns)
    {
        var messages = new List<(string, string, byte[])>();
        foreach ((string file, byte[] content) in ReadFiles(patterns, out _))
        {
            messages.Add((file, System.IO.Path.GetFileNameWithoutExtension(file), content));
        }

        return messages;
    }

    /// <inheritdoc/>
    protected override void StopProcessing()
    {
        base.StopProcessing();
        DisposeOpeners();
    }

    /// <summary>The opener of an organization for this pipeline: its collection and settings, read once.</summary>
    internal SmimeMessageOpener OpenerFor(string organization, Func<SmimeDecryptionKeys?> keys)
    {
        if (!_openers.TryGetValue(organization, out SmimeMessageOpener? opener))
        {
            SmimeOrganizationConfig config = Store.ReadConfig(organization);
            opener = new SmimeMessageOpener(
                SmimeCertificateCollection.FromRecord(config.CertificateCollection),
                config.Settings,
                CrlSource,
                CrlCache,
                () => DateTime.UtcNow,
                keys());
            _openers.Add(organization, opener);
        }

        return opener;
    }

    private void DisposeOpeners()
    {
        foreach (SmimeMessageOpener opener in _openers.Values)
        {
            opener.Dispose();
        }

        _openers.Clear();
    }
}
