using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using SmimeAdmin.Core.Messages;
using SmimeAdmin.Core.Tests.Validation;
using Xunit;

namespace SmimeAdmin.Core.Tests.Messages;

/// <summary>Interoperability with gpgsm (GnuPG's S/MIME tool), both ways: opaque signatures and RSA encryption.</summary>
public sealed class SmimeMessageGpgsmTests : IDisposable
{
    private const string Body = "nothing here is secret";

    private readonly Gpgsm _gpgsm = new(MessagePki.Instance.Alice, ValidationPki.Root.Certificate, ValidationPki.Intermediate.Certificate);

    private static MessagePki Users => MessagePki.Instance;

    public void Dispose() => _gpgsm.Dispose();

    [Fact]
    public void Gpgsm_verifies_what_SmimeAdmin_signs_and_decrypts_what_it_encrypts()
    {
        using var organization = new MessageOrganization(new Dictionary<string, object?> { ["OWAClearSign"] = false, ["OWASigningAlgorithms"] = "800C" })
            .WithCertificate(Users.Alice);
        using SmimeMessageProtector protector = organization.Protector();
        byte[] signed = protector.Protect(MessagePki.PlainMessage(Users.Alice.Address, Users.Bob.Address), MessageOrganization.Signer(Users.Alice), sign: true, encrypt: false)[0].Content;
        byte[] encrypted = protector.Protect(MessagePki.PlainMessage(Users.Bob.Address, Users.Alice.Address), null, sign: false, encrypt: true)[0].Content;

        string signedCms = Write("signed.p7m", MessageParts.Cms(signed));
        string encryptedCms = Write("encrypted.p7m", MessageParts.Cms(encrypted));
        string content = Path.Combine(_gpgsm.Folder, "content.txt");

        Assert.Contains("Good signature", _gpgsm.Run(null, "--verify", "--output", content, signedCms), StringComparison.Ordinal);
        Assert.Contains(Body, File.ReadAllText(content), StringComparison.Ordinal);
        Assert.Contains(Body, _gpgsm.Run(MessagePki.Password, "--decrypt", encryptedCms), StringComparison.Ordinal);
    }

    [Fact]
    public void SmimeAdmin_verifies_what_gpgsm_signs_and_decrypts_what_it_encrypts()
    {
        string content = Write("content.txt", Encoding.ASCII.GetBytes("Content-Type: text/plain\r\n\r\n" + Body + "\r\n"));
        string signed = Path.Combine(_gpgsm.Folder, "signed.p7m");
        string encrypted = Path.Combine(_gpgsm.Folder, "encrypted.p7m");
        _gpgsm.Run(MessagePki.Password, "--sign", "--local-user", Users.Alice.Address, "--output", signed, content);
        _gpgsm.Run(null, "--encrypt", "--recipient", Users.Alice.Address, "--output", encrypted, content);
        using var organization = new MessageOrganization();
        using SmimeMessageOpener opener = organization.Opener(MessageOrganization.Keys(Users.Alice));

        SmimeOpenedMessage opened = opener.Open(Wrap(File.ReadAllBytes(signed), "signed-data"));
        SmimeOpenedMessage decrypted = opener.Open(Wrap(File.ReadAllBytes(encrypted), "enveloped-data"));

        SmimeSignatureResult signature = Assert.Single(opened.Signatures);
        Assert.True(signature.IsValid, string.Join("; ", signature.Findings));
        Assert.True(signature.SenderMatches);
        Assert.Contains(Body, Encoding.ASCII.GetString(opened.Content), StringComparison.Ordinal);
        Assert.False(decrypted.StillEncrypted);
        Assert.Contains(Body, Encoding.ASCII.GetString(decrypted.Content), StringComparison.Ordinal);
    }

    private string Write(string name, byte[] content)
    {
        string path = Path.Combine(_gpgsm.Folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    // gpgsm writes bare CMS; a mail client sends it as the body of an application/pkcs7-mime message.
    private static byte[] Wrap(byte[] cms, string smimeType) => Encoding.ASCII.GetBytes(
        "From: " + Users.Alice.Address + "\r\nTo: " + Users.Bob.Address + "\r\nSubject: From gpgsm\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=smime.p7m\r\n"
        + "Content-Transfer-Encoding: base64\r\n\r\n"
        + Convert.ToBase64String(cms, Base64FormattingOptions.InsertLineBreaks).Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n");
}
