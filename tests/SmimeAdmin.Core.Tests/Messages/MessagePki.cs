using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using SmimeAdmin.Core.Tests.Validation;

namespace SmimeAdmin.Core.Tests.Messages;

/// <summary>One user of the message tests: an address, a key pair and a certificate issued by the validation CA.</summary>
internal sealed class MessageUser
{
    public MessageUser(string address, AsymmetricCipherKeyPair key, byte[] certificate)
    {
        Address = address;
        Key = key;
        Certificate = certificate;
    }

    public string Address { get; }

    public AsymmetricCipherKeyPair Key { get; }

    public byte[] Certificate { get; }

    public bool IsEc => Key.Private is Org.BouncyCastle.Crypto.Parameters.ECPrivateKeyParameters;

    /// <summary>A PKCS #12 file with the key and the certificate (password <see cref="MessagePki.Password"/>).</summary>
    public byte[] Pfx(params byte[][] chain)
    {
        Pkcs12Store store = new Pkcs12StoreBuilder().Build();
        var entries = new[] { Certificate }.Concat(chain).Select(der => new X509CertificateEntry(new X509CertificateParser().ReadCertificate(der))).ToArray();
        store.SetKeyEntry("key", new AsymmetricKeyEntry(Key.Private), entries);
        using var buffer = new MemoryStream();
        store.Save(buffer, MessagePki.Password.ToCharArray(), TestKeys.SeededRandom(3));
        return buffer.ToArray();
    }

    /// <summary>Writes the certificate and the PKCS #8 key as PEM for openssl; returns (certificate, key) paths.</summary>
    public (string Certificate, string Key) WritePem(string folder)
    {
        string name = Address.Split('@')[0];
        string certificate = Path.Combine(folder, name + ".crt");
        string key = Path.Combine(folder, name + ".key");
        File.WriteAllText(certificate, MessagePki.Pem("CERTIFICATE", Certificate));
        File.WriteAllText(key, MessagePki.Pem("PRIVATE KEY", PrivateKeyInfoFactory.CreatePrivateKeyInfo(Key.Private).GetEncoded()));
        return (certificate, key);
    }
}

/// <summary>
/// Users for the message tests, issued by <see cref="ValidationPki.Intermediate"/>: Alice and Carol with RSA keys that
/// sign and encrypt, Bob with a P-256 key (ECDSA and ECDH), Dave for Bcc, and Mallory from a CA the organization does
/// not trust. Keys come from seeded generators; the set is built once per test process.
/// </summary>
internal sealed class MessagePki
{
    public const string Password = "no.secret";

    private static readonly Lazy<MessagePki> s_instance = new(() => new MessagePki());
    private static readonly string[] MalloryAddresses = { "mallory@contoso.com" };

    private MessagePki()
    {
        SecureRandom random = TestKeys.SeededRandom(20261206L);
        Alice = User("alice@contoso.com", TestKeys.NewRsa(random), KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment);
        Bob = User("bob@contoso.com", TestKeys.NewEc(random), KeyUsage.DigitalSignature | KeyUsage.KeyAgreement);
        Carol = User("carol@contoso.com", TestKeys.NewRsa(random), KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment);
        Dave = User("dave@contoso.com", TestKeys.NewRsa(random), KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment);
        AsymmetricCipherKeyPair outsiderKey = TestKeys.NewRsa(random);
        Outsider = TestAuthority.SelfSigned("O=Fabrikam,CN=Untrusted Root", outsiderKey);
        Mallory = new MessageUser("mallory@contoso.com", Alice.Key, Outsider.Issue(new CertificateOptions
        {
            Subject = "O=Fabrikam,CN=Mallory",
            PublicKey = Alice.Key.Public,
            Emails = MalloryAddresses,
        }));
    }

    public static MessagePki Instance => s_instance.Value;

    /// <summary>The organization's collection: the validation root and intermediate.</summary>
    public static IReadOnlyList<byte[]> Collection => new[] { ValidationPki.Root.Certificate, ValidationPki.Intermediate.Certificate };

    public MessageUser Alice { get; }

    public MessageUser Bob { get; }

    public MessageUser Carol { get; }

    public MessageUser Dave { get; }

    /// <summary>A CA outside the organization's collection.</summary>
    public TestAuthority Outsider { get; }

    /// <summary>Alice's key with a certificate from <see cref="Outsider"/>.</summary>
    public MessageUser Mallory { get; }

    public static string Pem(string label, byte[] der)
    {
        var text = new StringBuilder("-----BEGIN " + label + "-----\n");
        string base64 = Convert.ToBase64String(der);
        for (int i = 0; i < base64.Length; i += 64)
        {
            text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        }

        return text.Append("-----END " + label + "-----\n").ToString();
    }

    /// <summary>A plain message from <paramref name="from"/>; the body repeats a line to <paramref name="bodyBytes"/> bytes.</summary>
    public static byte[] PlainMessage(string from, string to, string? cc = null, string? bcc = null, int bodyBytes = 200)
    {
        var text = new StringBuilder()
            .Append("From: ").Append(from).Append("\r\n")
            .Append("To: ").Append(to).Append("\r\n");
        if (cc is not null)
        {
            text.Append("Cc: ").Append(cc).Append("\r\n");
        }

        if (bcc is not null)
        {
            text.Append("Bcc: ").Append(bcc).Append("\r\n");
        }

        text.Append("Subject: Quarterly figures\r\nMessage-ID: <test@contoso.com>\r\nMIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n");
        const string Line = "The figures are attached as agreed; nothing here is secret.\r\n";
        for (int written = 0; written < bodyBytes; written += Line.Length)
        {
            text.Append(Line);
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static MessageUser User(string address, AsymmetricCipherKeyPair key, int keyUsage) =>
        new(address, key, ValidationPki.Intermediate.Issue(new CertificateOptions
        {
            Subject = "O=Contoso,CN=" + address.Split('@')[0],
            PublicKey = key.Public,
            KeyUsage = keyUsage,
            Emails = new[] { address },
        }));
}
