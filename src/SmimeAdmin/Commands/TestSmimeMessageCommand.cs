using System;
using System.Globalization;
using System.Management.Automation;
using SmimeAdmin.Core.Messages;

namespace SmimeAdmin.Commands;

/// <summary>
/// Test-SmimeMessage: verifies every signature of messages against the organization's collection, with its CRL
/// settings, and checks the signer's address against the From address.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SmimeMessage", DefaultParameterSetName = PathSet)]
[OutputType(typeof(SmimeMessageSignature))]
public sealed class TestSmimeMessageCommand : SmimeMessageCmdletBase
{

    /// <inheritdoc/>
    protected override void ProcessRecord() => Run(Organization, () =>
    {
        string organization = ResolveOrganization(Organization);
        SmimeMessageOpener opener = OpenerFor(organization, () => null);
        foreach ((string source, _, SmimeOpenedMessage opened) in OpenMessages(opener))
        {
            if (opened.StillEncrypted)
            {
                WriteWarning(string.Format(CultureInfo.CurrentCulture, Strings.MessageTestEncrypted, source));
            }

            if (opened.Signatures.Count == 0)
            {
                WriteError(new ErrorRecord(
                    new InvalidOperationException(string.Format(CultureInfo.CurrentCulture, opened.StillEncrypted ? Strings.MessageNotSignedOutside : Strings.MessageNotSigned, source)),
                    ErrorMap.MessageNotSigned,
                    ErrorCategory.InvalidData,
                    source));
                continue;
            }

            foreach (SmimeSignatureResult signature in opened.Signatures)
            {
                WriteObject(new SmimeMessageSignature(organization, source, signature));
            }
        }
    });
}
