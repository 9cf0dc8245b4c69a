using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SmimeAdmin.Core.Messages;
using SmimeAdmin.Core.Tests.Validation;
using Xunit;

namespace SmimeAdmin.Core.Tests.Messages;

/// <summary>
/// Interoperability with openssl 3 both ways: what SmimeAdmin signs or encrypts, <c>openssl cms</c> verifies or
/// decrypts; what <c>openssl cms</c> signs or encrypts, SmimeAdmin verifies or decrypts. RSA and EC (ECDH) keys, clear
/// and opaque signatures, every cipher Exchange lists, key identifiers and triple wrapping.
/// </summary>
public sealed class SmimeMessageInteropTests : IDisposable
{
    private const string Body = "The figures are attached as agreed; nothing here is secret.";
    private static readonly string[] s_encrypted = { "Encrypted" };
    private static readonly string[] s_opensslTripleWrap = { "SignedOpaque", "Encrypted", "SignedClear" };
    private static readonly string[] s_tripleWrap = { "SignedClear", "Encrypted", "SignedClear" };
    private static readonly int[] s_signedLayers = { 1, 3 };

    private readonly TempFolder _folder = new();
    private readonly string _caFile;

    public SmimeMessageInteropTests()
    {
        _caFile = _folder.Combine("ca.pem");
        File.WriteAllText(_caFile, MessagePki.Pem("CERTIFICATE", ValidationPki.Root.Certificate) + MessagePki.Pem("CERTIFICATE", ValidationPki.Intermediate.Certificate));
    }

    private static MessagePki Users => MessagePki.Instance;

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, bool> Signers => new()
    {
        { "alice", true },
        { "alice", false },
        { "bob", true },
        { "bob", false },
    };

    [Theory]
    [MemberData(nameof(Signers))]
    public void Openssl_verifies_what_SmimeAdmin_signs(string signer, bool clear)
    {
        MessageUser user = signer == "alice" ? Users.Alice : Users.Bob;
        using var organization = new MessageOrganization(new Dictionary<string, object?> { ["OWAClearSign"] = clear, ["OWASigningAlgorithms"] = "800C" });
        using SmimeMessageProtector protector = organization.Protector();

        SmimeProtectedMessage signed = Assert.Single(protector.Protect(MessagePki.PlainMessage(user.Address, Users.Carol.Address), MessageOrganization.Signer(user), sign: true, encrypt: false));

        string path = Write("signed.eml", signed.Content);
        string output = OpenSsl.Run("cms", "-verify", "-in", path, "-CAfile", _caFile, "-purpose", "smimesign");
        Assert.Contains(Body, output, StringComparison.Ordinal);
        Assert.Contains(clear ? "multipart/signed" : "smime-type=signed-data", Encoding.ASCII.GetString(signed.Content), StringComparison.Ordinal);
        Assert.Contains(clear ? "micalg=sha-256" : "application/pkcs7-mime", Encoding.ASCII.GetString(signed.Content), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Ciphers => new()
    {
        { "6610", "aes-256-cbc" },
        { "660F", "aes-192-cbc" },
        { "660E", "aes-128-cbc" },
        { "6603", "des-ede3-cbc" },
        { "6601", "des-cbc" },
        { "6602:128", "rc2-cbc" },
        { "6602:64", "rc2-64-cbc" },
        { "6602:40", "rc2-40-cbc" },
    };

    [Theory]
    [MemberData(nameof(Ciphers))]
    public void Openssl_decrypts_each_allowed_cipher(string algorithm, string opensslName)
    {
        // An EC recipient's content key is AES-wrapped, which needs 128 bits or more: DES and short RC2 are RSA-only.
        bool wrappable = algorithm is not ("6601" or "6602:40" or "6602:64");
        MessageUser[] recipients = wrappable ? new[] { Users.Alice, Users.Bob } : new[] { Users.Alice };
        using var organization = new MessageOrganization(new Dictionary<string, object?> { ["OWAEncryptionAlgorithms"] = algorithm })
            .WithCertificate(Users.Alice)
            .WithCertificate(Users.Bob);
        using SmimeMessageProtector protector = organization.Protector();

        SmimeProtectedMessage encrypted = Assert.Single(protector.Protect(MessagePki.PlainMessage(Users.Carol.Address, string.Join(", ", recipients.Select(user => user.Address))), null, sign: false, encrypt: true));

        Assert.StartsWith(algorithm.Split(':')[0], encrypted.EncryptionAlgorithm, StringComparison.Ordinal);
        string path = Write("encrypted.eml", encrypted.Content);
        string printed = OpenSsl.Run("cms", "-cmsout", "-print", "-in", path, "-inform", "SMIME", "-provider", "legacy", "-provider", "default");
        Assert.Contains("algorithm: " + opensslName.Replace("rc2-64-cbc", "rc2-cbc").Replace("rc2-40-cbc", "rc2-cbc"), printed, StringComparison.Ordinal);
        foreach (MessageUser user in recipients)
        {
            (string certificate, string key) = user.WritePem(_folder.Path);
            string output = OpenSsl.Run("cms", "-decrypt", "-in", path, "-recip", certificate, "-inkey", key, "-provider", "legacy", "-provider", "default");
            Assert.Contains(Body, output, StringComparison.Ordinal);
        }

        if (!wrappable)
        {
            SmimeMessageException refused = Assert.Throws<SmimeMessageException>(() =>
                protector.Protect(MessagePki.PlainMessage(Users.Carol.Address, Users.Bob.Address), null, sign: false, encrypt: true));
            Assert.Equal(SmimeMessageErrorCode.NoUsableAlgorithm, refused.Code);
        }
    }

    [Theory]
    [InlineData(true, "subjectKeyIdentifier")]
    [InlineData(false, "issuerAndSerialNumber")]
    public void OWAUseKeyIdentifier_picks_the_recipient_identifier_openssl_sees(bool useKeyIdentifier, string expected)
    {
        using var organization = new MessageOrganization(new Dictionary<string, object?> { ["OWAUseKeyIdentifier"] = useKeyIdentifier })
            .WithCertificate(Users.Alice)
            .WithCertificate(Users.Bob);
        using SmimeMessageProtector protector = organization.Protector();

        SmimeProtectedMessage encrypted = Assert.Single(protector.Protect(MessagePki.PlainMessage(Users.Carol.Address, Users.Alice.Address + ", " + Users.Bob.Address), null, sign: false, encrypt: true));

        string path = Write("encrypted.eml", encrypted.Content);
        string printed = OpenSsl.Run("cms", "-cmsout", "-print", "-in", path, "-inform", "SMIME");
        string other = expected == "subjectKeyIdentifier" ? "issuerAndSerialNumber" : "subjectKeyIdentifier";
        Assert.Contains(expected, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(other, printed, StringComparison.Ordinal);
        foreach (MessageUser user in new[] { Users.Alice, Users.Bob })
        {
            (string certificate, string key) = user.WritePem(_folder.Path);
            Assert.Contains(Body, OpenSsl.Run("cms", "-decrypt", "-in", path, "-recip", certificate, "-inkey", key), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Openssl_unwraps_a_triple_wrapped_message(bool clear)
    {
        using var organization = new MessageOrganization(new Dictionary<string, object?> { ["OWATripleWrapSignedEncryptedMail"] = true, ["OWAClearSign"] = clear })
            .WithCertificate(Users.Bob);
        using SmimeMessageProtector protector = organization.Protector();

        SmimeProtectedMessage wrapped = Assert.Single(protector.Protect(MessagePki.PlainMessage(Users.Alice.Address, Users.Bob.Address), MessageOrganization.Signer(Users.Alice), sign: true, encrypt: true));

        Assert.True(wrapped.TripleWrapped);
        string outer = Write("outer.eml", wrapped.Content);
        string encrypted = _folder.Combine("encrypted.eml");
        string signedInside = _folder.Combine("inner.eml");
        OpenSsl.Run("cms", "-verify", "-in", outer, "-CAfile", _caFile, "-out", encrypted);
        (string certificate, string key) = Users.Bob.WritePem(_folder.Path);
        OpenSsl.Run("cms", "-decrypt", "-in", encrypted, "-recip", certificate, "-inkey", key, "-out", signedInside);
        Assert.Contains(Body, OpenSsl.Run("cms", "-verify", "-in", signedInside, "-CAfile", _caFile), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice", false)]
    [InlineData("alice", true)]
    [InlineData("bob", false)]
    [InlineData("bob", true)]
    public void SmimeAdmin_verifies_what_openssl_signs(string signer, bool opaque)
    {
        MessageUser user = signer == "alice" ? Users.Alice : Users.Bob;
        using var organization = new MessageOrganization();
        using SmimeMessageOpener opener = organization.Opener();
        (string certificate, string key) = user.WritePem(_folder.Path);
        string content = WriteContent();
        string signed = _folder.Combine("signed.eml");
        var arguments = new List<string> { "cms", "-sign", "-in", content, "-signer", certificate, "-inkey", key, "-md", "sha256", "-out", signed, "-from", user.Address, "-to", Users.Carol.Address, "-subject", "Figures" };
        if (opaque)
        {
            arguments.Add("-nodetach");
        }

        OpenSsl.Run(arguments.ToArray());
        SmimeOpenedMessage opened = opener.Open(File.ReadAllBytes(signed));

        SmimeSignatureResult signature = Assert.Single(opened.Signatures);
        Assert.True(signature.IsValid, string.Join("; ", signature.Findings));
        Assert.True(signature.SenderMatches);
        Assert.Equal(!opaque, signature.ClearSigned);
        Assert.Equal("800C (SHA-256)", signature.DigestAlgorithm);
        Assert.Contains(user.Address, signature.Signer!.EmailAddresses);
        Assert.Contains(Body, Encoding.UTF8.GetString(opened.Content), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, bool> OpensslCiphers => new()
    {
        { "alice", "-aes256", false },
        { "alice", "-aes128", true },
        { "alice", "-aes192", false },
        { "alice", "-des3", false },
        { "alice", "-des", false },
        { "alice", "-rc2-128", false },
        { "alice", "-rc2-64", true },
        { "alice", "-rc2-40", false },
        { "bob", "-aes256", false },
        { "bob", "-aes192", true },
        { "bob", "-des3", false },
    };

    [Theory]
    [MemberData(nameof(OpensslCiphers))]
    public void SmimeAdmin_decrypts_what_openssl_encrypts(string recipient, string cipher, bool keyIdentifier)
    {
        MessageUser user = recipient == "alice" ? Users.Alice : Users.Bob;
        using var organization = new MessageOrganization();
        using SmimeMessageOpener opener = organization.Opener(MessageOrganization.Keys(user));
        (string certificate, _) = user.WritePem(_folder.Path);
        string encrypted = _folder.Combine("encrypted.eml");
        var arguments = new List<string> { "cms", "-encrypt", "-in", WriteContent(), cipher, "-out", encrypted, "-from", Users.Carol.Address, "-to", user.Address, "-subject", "Figures", "-provider", "legacy", "-provider", "default" };
        if (keyIdentifier)
        {
            arguments.Add("-keyid");
        }

        arguments.Add(certificate);
        OpenSsl.Run(arguments.ToArray());
        SmimeOpenedMessage opened = opener.Open(File.ReadAllBytes(encrypted));

        Assert.Equal(s_encrypted, opened.Layers);
        Assert.False(opened.StillEncrypted);
        Assert.Contains(Body, Encoding.UTF8.GetString(opened.Content), StringComparison.Ordinal);
    }

    [Fact]
    public void SmimeAdmin_unwraps_what_openssl_triple_wraps()
    {
        using var organization = new MessageOrganization();
        using SmimeMessageOpener opener = organization.Opener(MessageOrganization.Keys(Users.Bob));
        (string aliceCertificate, string aliceKey) = Users.Alice.WritePem(_folder.Path);
        (string bobCertificate, _) = Users.Bob.WritePem(_folder.Path);
        string inner = _folder.Combine("inner.eml");
        string middle = _folder.Combine("middle.eml");
        string outer = _folder.Combine("outer.eml");
        OpenSsl.Run("cms", "-sign", "-in", WriteContent(), "-signer", aliceCertificate, "-inkey", aliceKey, "-out", inner);
        OpenSsl.Run("cms", "-encrypt", "-in", inner, "-aes256", "-out", middle, bobCertificate);
        OpenSsl.Run("cms", "-sign", "-in", middle, "-signer", aliceCertificate, "-inkey", aliceKey, "-nodetach", "-out", outer, "-from", Users.Alice.Address, "-to", Users.Bob.Address);

        SmimeOpenedMessage opened = opener.Open(File.ReadAllBytes(outer));

        Assert.Equal(s_opensslTripleWrap, opened.Layers);
        Assert.Equal(2, opened.Signatures.Count);
        Assert.All(opened.Signatures, signature => Assert.True(signature.IsValid, string.Join("; ", signature.Findings)));
        Assert.Equal(s_signedLayers, opened.Signatures.Select(signature => signature.Layer));
        Assert.Equal("6610 (AES-256-CBC)", opened.EncryptionAlgorithm);
        Assert.Contains(Body, Encoding.UTF8.GetString(opened.Content), StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_SmimeAdmin_protects_opens_again_in_SmimeAdmin()
    {
        using var organization = new MessageOrganization(new Dictionary<string, object?> { ["OWATripleWrapSignedEncryptedMail"] = true })
            .WithPublication(Users.Bob);
        using SmimeMessageProtector protector = organization.Protector();
        using SmimeMessageOpener opener = organization.Opener(MessageOrganization.Keys(Users.Bob));

        SmimeProtectedMessage wrapped = Assert.Single(protector.Protect(MessagePki.PlainMessage(Users.Alice.Address, Users.Bob.Address), MessageOrganization.Signer(Users.Alice), sign: true, encrypt: true));
        SmimeOpenedMessage opened = opener.Open(wrapped.Content);

        Assert.Equal(s_tripleWrap, opened.Layers);
        Assert.All(opened.Signatures, signature => Assert.True(signature.IsValid, string.Join("; ", signature.Findings)));
        Assert.Contains(Body, Encoding.UTF8.GetString(opened.Content), StringComparison.Ordinal);
        Assert.Contains("Subject: Quarterly figures", Encoding.UTF8.GetString(opened.Content), StringComparison.Ordinal);
    }

    private string Write(string name, byte[] content)
    {
        string path = _folder.Combine(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string WriteContent() => Write("content.txt", Encoding.ASCII.GetBytes("Content-Type: text/plain\r\n\r\n" + Body + "\r\n"));
}
