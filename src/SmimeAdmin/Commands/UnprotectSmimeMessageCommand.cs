using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using SmimeAdmin.Core.Messages;

namespace SmimeAdmin.Commands;

/// <summary>
/// Unprotect-SmimeMessage: decrypts messages with a recipient's key and removes their S/MIME layers (triple wrapping
/// included), verifying every signature on the way against the organization's collection.
/// </summary>
[Cmdlet(VerbsSecurity.Unprotect, "SmimeMessage", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(SmimeUnprotectedMessage))]
public sealed class UnprotectSmimeMessageCommand : SmimeMessageWriterCmdletBase
{
    private SmimeDecryptionKeys? _keys;
    private bool _keysRead;

    /// <summary>A .pfx file with the recipient's encryption certificate and private key.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Pfx { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Organization, () =>
    {
        string organization = ResolveOrganization(Organization);
        SmimeMessageOpener opener = OpenerFor(organization, ReadKeys);
        foreach ((string source, string name, SmimeOpenedMessage opened) in OpenMessages(opener))
        {
            if (opened.StillEncrypted)
            {
                WriteMessageError(new SmimeMessageException(SmimeMessageErrorCode.NoDecryptionKey, source, Strings.MessageUnprotectNeedsKey), source);
                continue;
            }

            foreach (SmimeSignatureResult signature in opened.Signatures.Where(signature => !signature.IsValid))
            {
                WriteWarning(string.Format(
                    CultureInfo.CurrentCulture,
                    Strings.MessageSignatureNotValid,
                    source,
                    signature.Signer?.Subject ?? "?",
                    string.Join("; ", signature.Findings.Where(finding => finding.IsError))));
            }

            string? file = OutFile is null ? null : OutputPath(OutFile, name, string.Empty);
            if (file is not null)
            {
                if (RefusesToOverwrite(file))
                {
                    continue;
                }

                if (!ShouldProcess(file, string.Format(CultureInfo.CurrentCulture, Strings.UnprotectMessageAction, source)))
                {
                    continue;
                }

                using var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None);
                opened.WriteTo(stream);
            }

            WriteObject(new SmimeUnprotectedMessage(organization, source, file, opened));
        }
    });

    private SmimeDecryptionKeys? ReadKeys()
    {
        if (!_keysRead && Pfx is not null)
        {
            _keys = ReadPfx(Pfx, SmimeDecryptionKeys.FromPkcs12);
        }

        _keysRead = true;
        return _keys;
    }
}
