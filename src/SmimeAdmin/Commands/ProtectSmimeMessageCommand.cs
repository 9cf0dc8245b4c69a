using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using SmimeAdmin.Core.Messages;

namespace SmimeAdmin.Commands;

/// <summary>
/// Protect-SmimeMessage: signs and/or encrypts messages as the organization's S/MIME settings say, with recipients'
/// certificates from the store and the organization's certificate collection as the only trust.
/// </summary>
[Cmdlet(VerbsSecurity.Protect, "SmimeMessage", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(SmimeMessage))]
public sealed class ProtectSmimeMessageCommand : SmimeMessageWriterCmdletBase
{
    private readonly Dictionary<string, SmimeMessageProtector> _protectors = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private SmimeMessageSigner? _signer;
    private bool _signerRead;

    /// <summary>Signs the message (OWAAlwaysSign signs without it).</summary>
    [Parameter]
    public SwitchParameter Sign { get; set; }

    /// <summary>Encrypts the message for its To, Cc and Bcc recipients (OWAAlwaysEncrypt encrypts without it).</summary>
    [Parameter]
    public SwitchParameter Encrypt { get; set; }

    /// <summary>The sender's signing certificate with its private key.</summary>
    [Parameter]
    [ValidateNotNull]
    public X509Certificate2? SignerCertificate { get; set; }

    /// <summary>A .pfx file with the sender's signing certificate and private key.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SignerPfx { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Organization, () =>
    {
        string organization = ResolveOrganization(Organization);
        SmimeMessageProtector protector = ProtectorFor(organization);
        SmimeMessageSigner? signer = ReadSigner();
        CheckPlan(protector, signer);
        foreach ((string source, string name, byte[] content) in ReadMessages())
        {
            IReadOnlyList<SmimeProtectedMessage> produced;
            try
            {
                produced = protector.Protect(content, signer, Sign, Encrypt, Cancellation);
            }
            catch (SmimeMessageException ex)
            {
                WriteMessageError(ex, source);
                continue;
            }

            Emit(organization, source, name, produced);
        }
    });

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        base.EndProcessing();
        DisposeProtectors();
    }

    /// <inheritdoc/>
    protected override void StopProcessing()
    {
        base.StopProcessing();
        DisposeProtectors();
    }

    private SmimeMessageProtector ProtectorFor(string organization)
    {
        if (!_protectors.TryGetValue(organization, out SmimeMessageProtector? protector))
        {
            protector = new SmimeMessageProtector(Store, organization, CrlSource, CrlCache, () => DateTime.UtcNow);
            _protectors.Add(organization, protector);
        }

        return protector;
    }

    private SmimeMessageSigner? ReadSigner()
    {
        if (_signerRead)
        {
            return _signer;
        }

        if (SignerCertificate is not null && SignerPfx is not null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException(Strings.MessageSignerConflict),
                ErrorMap.SignerConflict,
                ErrorCategory.InvalidArgument,
                SignerPfx));
        }

        if (SignerCertificate is not null)
        {
            _signer = SmimeMessageSigner.FromCertificate(SignerCertificate, null);
        }
        else if (SignerPfx is not null)
        {
            _signer = ReadPfx(SignerPfx, SmimeMessageSigner.FromPkcs12);
        }

        _signerRead = true;
        return _signer;
    }

    // Errors that would repeat for every message are reported once, before the first.
    private void CheckPlan(SmimeMessageProtector protector, SmimeMessageSigner? signer)
    {
        try
        {
            protector.CheckPlan(Sign, Encrypt, signer);
        }
        catch (SmimeMessageException ex)
        {
            ThrowTerminatingError(ErrorMap.ToErrorRecord(ex, null));
        }
    }

    private void Emit(string organization, string source, string name, IReadOnlyList<SmimeProtectedMessage> produced)
    {
        if (OutFile is null)
        {
            foreach (SmimeProtectedMessage message in produced)
            {
                WriteObject(new SmimeMessage(organization, source, null, message));
            }

            return;
        }

        // Every file of one message is checked before any is written, so a message is written whole or not at all.
        var files = new List<string>(produced.Count);
        int bccCopy = 0;
        foreach (SmimeProtectedMessage message in produced)
        {
            string suffix = message.Copy switch
            {
                SmimeMessageCopy.BccRecipient => ".bcc" + (++bccCopy).ToString(CultureInfo.InvariantCulture),
                SmimeMessageCopy.AllBccRecipients => ".bcc",
                _ => string.Empty,
            };
            string file = OutputPath(OutFile, name, suffix);
            if (_written.Contains(file))
            {
                WriteError(new ErrorRecord(
                    new IOException(string.Format(CultureInfo.CurrentCulture, Strings.MessageOutFileReused, file)),
                    ErrorMap.OutputFileConflict,
                    ErrorCategory.ResourceExists,
                    file));
                return;
            }

            if (RefusesToOverwrite(file))
            {
                return;
            }

            files.Add(file);
        }

        if (!ShouldProcess(string.Join(", ", files), string.Format(CultureInfo.CurrentCulture, Strings.ProtectMessageAction, source)))
        {
            return;
        }

        for (int i = 0; i < produced.Count; i++)
        {
            try
            {
                using (var stream = new FileStream(files[i], FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    produced[i].WriteTo(stream);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(ex, ErrorMap.ExportFailed, ErrorCategory.WriteError, files[i]));
                return;
            }

            _written.Add(files[i]);
            WriteObject(new SmimeMessage(organization, source, files[i], produced[i]));
        }
    }

    private void DisposeProtectors()
    {
        foreach (SmimeMessageProtector protector in _protectors.Values)
        {
            protector.Dispose();
        }

        _protectors.Clear();
    }
}
