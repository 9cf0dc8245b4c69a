using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.X509;

// Signs (clear, SHA-256) and encrypts (AES-256, RSA key transport) every .eml file of a folder with bare MimeKit, the
// way an application that uses MimeKit directly would: no policy, no store, no validation. Prints the time of the loop.
// Usage: MessageBaseline <input folder> <output folder> <signer .pfx> <password> <recipient .crt>...
if (args.Length < 5)
{
    Console.Error.WriteLine("Usage: MessageBaseline <input folder> <output folder> <signer .pfx> <password> <recipient .crt>...");
    return 2;
}

string input = args[0];
string output = args[1];
var store = new Pkcs12StoreBuilder().Build();
using (FileStream pfx = File.OpenRead(args[2]))
{
    store.Load(pfx, args[3].ToCharArray());
}

string alias = store.Aliases.First(store.IsKeyEntry);
var signer = new CmsSigner(store.GetCertificate(alias).Certificate, store.GetKey(alias).Key, SubjectIdentifierType.IssuerAndSerialNumber)
{
    DigestAlgorithm = DigestAlgorithm.Sha256,
};
var recipients = new CmsRecipientCollection();
foreach (string path in args.Skip(4))
{
    X509Certificate certificate = new X509CertificateParser().ReadCertificate(File.ReadAllBytes(path));
    recipients.Add(new CmsRecipient(certificate, SubjectIdentifierType.IssuerAndSerialNumber) { EncryptionAlgorithms = new[] { EncryptionAlgorithm.Aes256 } });
}

string[] files = Directory.GetFiles(input, "*.eml");
Array.Sort(files, StringComparer.Ordinal);
FormatOptions format = FormatOptions.Default.Clone();
format.NewLineFormat = NewLineFormat.Dos;
using var context = new TemporarySecureMimeContext();
var stopwatch = Stopwatch.StartNew();
foreach (string file in files)
{
    MimeMessage message = MimeMessage.Load(file);
    MimeEntity signed = MultipartSigned.Create(context, signer, message.Body!);
    message.Body = ApplicationPkcs7Mime.Encrypt(context, recipients, signed);
    message.WriteTo(format, Path.Combine(output, Path.GetFileName(file)));
}

stopwatch.Stop();
Console.WriteLine(stopwatch.Elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture));
return 0;
