using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using SmimeAdmin.Core.Certificates;
using Xunit;
using Xunit.Abstractions;

namespace SmimeAdmin.Core.Tests.Certificates;

public sealed class CertificateFileTests : IDisposable
{

    private readonly TempFolder _folder = new();
    private readonly ITestOutputHelper _output;

    public CertificateFileTests(ITestOutputHelper output) => _output = output;

    private static TestPki Pki => TestPki.Instance;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_pem_bundle_round_trips_in_order()
    {
        byte[] pem = CertificateFile.WritePem(Pki.All);

        CertificateFileContent content = CertificateFile.Read(pem);

        Assert.Equal(CertificateFileFormat.Pem, content.Format);
        Assert.Equal(Pki.All, content.Certificates);
    }

    [Fact]
    public void WritePem_writes_64_character_lines_with_lf_line_ends_in_ascii()
    {
        string text = Encoding.ASCII.GetString(CertificateFile.WritePem(new[] { Pki.Root }));
        string[] lines = text.Split('\n');

        Assert.Equal("-----BEGIN CERTIFICATE-----", lines[0]);
        Assert.Equal("-----END CERTIFICATE-----", lines[^2]);
        Assert.Equal(string.Empty, lines[^1]);
        Assert.DoesNotContain('\r', text);
        Assert.All(lines.Skip(1).Take(lines.Length - 4), line => Assert.Equal(64, line.Length));
        Assert.Equal(Pki.Root, Convert.FromBase64String(string.Concat(lines.Skip(1).Take(lines.Length - 3))));
    }

    [Fact]
    public void Pem_text_with_crlf_line_ends_and_text_before_and_between_blocks_is_read()
    {
        string text = "Bag Attributes\r\n    friendlyName: root\r\nsubject=CN = Test Root CA\r\n"
            + Pem("CERTIFICATE", Pki.Root).Replace("\n", "\r\n", StringComparison.Ordinal)
            + "\r\nsome notes between blocks\r\n"
            + Pem("CERTIFICATE", Pki.Intermediate).Replace("\n", "\r\n", StringComparison.Ordinal)
            + "trailing text";

        CertificateFileContent content = CertificateFile.Read(Encoding.ASCII.GetBytes(text));

        Assert.Equal(CertificateFileFormat.Pem, content.Format);
        Assert.Equal(new[] { Pki.Root, Pki.Intermediate }, content.Certificates);
    }

    [Fact]
    public void Pem_text_in_utf8_with_a_byte_order_mark_is_read()
    {
        byte[] data = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(CertificateFile.WritePem(new[] { Pki.Root })).ToArray();

        Assert.Equal(new[] { Pki.Root }, CertificateFile.Read(data).Certificates);
    }

    [Fact]
    public void Pem_text_in_utf16_as_windows_powershell_writes_it_is_read()
    {
        string text = Encoding.ASCII.GetString(CertificateFile.WritePem(new[] { Pki.Root, Pki.EcRoot }));
        byte[] littleEndian = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray();
        byte[] bigEndian = Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(text)).ToArray();

        Assert.Equal(new[] { Pki.Root, Pki.EcRoot }, CertificateFile.Read(littleEndian).Certificates);
        Assert.Equal(new[] { Pki.Root, Pki.EcRoot }, CertificateFile.Read(bigEndian).Certificates);
    }

    [Fact]
    public void An_error_in_utf16_pem_text_names_the_byte_offset_not_the_character_index()
    {
        string text = "ab" + Pem("CERTIFICATE", Pki.Root).Replace("MII", "M!I", StringComparison.Ordinal);
        byte[] data = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray();

        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => CertificateFile.Read(data));

        Assert.Equal(2 + (2 * text.IndexOf('!', StringComparison.Ordinal)), error.Offset);
    }

    [Fact]
    public void A_der_certificate_round_trips()
    {
        CertificateFileContent content = CertificateFile.Read(Pki.EcRoot);

        Assert.Equal(CertificateFileFormat.Der, content.Format);
        Assert.Equal(new[] { Pki.EcRoot }, content.Certificates);
    }

    [Fact]
    public void A_der_pkcs7_bundle_round_trips_as_a_set_in_der_order()
    {
        byte[] p7b = CertificateFile.WritePkcs7(Pki.All);

        CertificateFileContent content = CertificateFile.Read(p7b);

        Assert.Equal(CertificateFileFormat.Pkcs7, content.Format);
        Assert.Equal(Pki.All.OrderBy(Convert.ToBase64String), content.Certificates.OrderBy(Convert.ToBase64String));
        Assert.Equal(content.Certificates, CertificateFile.Read(CertificateFile.WritePkcs7(content.Certificates.Reverse())).Certificates);
    }

    [Fact]
    public void A_pem_pkcs7_bundle_round_trips()
    {
        byte[] data = Encoding.ASCII.GetBytes(Pem("PKCS7", CertificateFile.WritePkcs7(Pki.All)));

        CertificateFileContent content = CertificateFile.Read(data);

        Assert.Equal(CertificateFileFormat.Pkcs7, content.Format);
        Assert.Equal(Pki.All.OrderBy(Convert.ToBase64String), content.Certificates.OrderBy(Convert.ToBase64String));
    }

    [Fact]
    public void Pem_text_mixing_certificate_and_pkcs7_blocks_is_read_as_pem_with_every_certificate()
    {
        string text = Pem("CERTIFICATE", Pki.Leaf) + Pem("PKCS7", CertificateFile.WritePkcs7(new[] { Pki.Root }));

        CertificateFileContent content = CertificateFile.Read(Encoding.ASCII.GetBytes(text));

        Assert.Equal(CertificateFileFormat.Pem, content.Format);
        Assert.Equal(new[] { Pki.Leaf, Pki.Root }, content.Certificates);
    }

    [Fact]
    public void A_serialized_store_is_detected_from_its_content()
    {
        CertificateFileContent content = CertificateFile.Read(SerializedCertificateStore.Write(Pki.All));

        Assert.Equal(CertificateFileFormat.SerializedStore, content.Format);
        Assert.Equal(Pki.All, content.Certificates);
    }

    [Fact]
    public void The_pkcs7_writer_output_is_a_certs_only_signed_data_by_bouncycastle()
    {
        byte[] p7b = CertificateFile.WritePkcs7(Pki.All);

        ContentInfo contentInfo = ContentInfo.GetInstance(Asn1Object.FromByteArray(p7b));
        SignedData signedData = SignedData.GetInstance(contentInfo.Content);

        Assert.Equal(CmsObjectIdentifiers.SignedData, contentInfo.ContentType);
        Assert.Equal(5, signedData.Certificates.Count);
        Assert.Empty(signedData.SignerInfos);
        Assert.Empty(signedData.DigestAlgorithms);
        Assert.Null(signedData.EncapContentInfo.Content);
        Assert.Equal(p7b, contentInfo.GetEncoded(Asn1Encodable.Der));
    }

    [Fact]
    public void Openssl_lists_every_certificate_of_the_pkcs7_writer_output()
    {
        string path = _folder.Combine("bundle.p7b");
        File.WriteAllBytes(path, CertificateFile.WritePkcs7(Pki.All));

        string output = OpenSsl.Run("pkcs7", "-inform", "DER", "-print_certs", "-in", path);

        CertificateFileContent listed = CertificateFile.Read(Encoding.ASCII.GetBytes(output));
        Assert.Equal(Pki.All.OrderBy(Convert.ToBase64String), listed.Certificates.OrderBy(Convert.ToBase64String));
        Assert.Contains("subject=C = US, O = Contoso, CN = Test Root CA", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Openssl_reads_the_pem_writer_output_and_agrees_on_the_thumbprint()
    {
        string path = _folder.Combine("root.pem");
        File.WriteAllBytes(path, CertificateFile.WritePem(new[] { Pki.Root }));

        string output = OpenSsl.Run("x509", "-in", path, "-noout", "-fingerprint", "-sha1");

        Assert.Equal(
            "sha1 Fingerprint=" + string.Join(":", SmimeCaCertificate.Parse(Pki.Root).Thumbprint.Chunk(2).Select(pair => new string(pair))),
            output.Trim(),
            ignoreCase: true);
    }

    [Fact]
    public void Pkcs7_bundles_written_by_openssl_are_read_in_der_and_pem()
    {
        string pem = _folder.Combine("bundle.pem");
        File.WriteAllBytes(pem, CertificateFile.WritePem(Pki.All));
        string der = _folder.Combine("openssl.p7b");
        string armored = _folder.Combine("openssl.p7b.pem");
        OpenSsl.Run("crl2pkcs7", "-nocrl", "-certfile", pem, "-outform", "DER", "-out", der);
        OpenSsl.Run("crl2pkcs7", "-nocrl", "-certfile", pem, "-out", armored);

        CertificateFileContent fromDer = CertificateFile.Read(File.ReadAllBytes(der));
        CertificateFileContent fromPem = CertificateFile.Read(File.ReadAllBytes(armored));

        Assert.Equal(CertificateFileFormat.Pkcs7, fromDer.Format);
        Assert.Equal(CertificateFileFormat.Pkcs7, fromPem.Format);
        Assert.Equal(Pki.All.OrderBy(Convert.ToBase64String), fromDer.Certificates.OrderBy(Convert.ToBase64String));
        Assert.Equal(fromDer.Certificates, fromPem.Certificates);
    }

    [Fact]
    public void A_ber_pkcs7_with_indefinite_lengths_is_read()
    {
        // ContentInfo and SignedData with indefinite lengths, as streaming encoders write them.
        byte[] certificates = Pki.Root.Concat(Pki.EcRoot).ToArray();
        byte[] signedData = Concat(
            new byte[] { 0x30, 0x80, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x80, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01, 0x00, 0x00, 0xA0, 0x80 },
            certificates,
            new byte[] { 0x00, 0x00, 0x31, 0x00, 0x00, 0x00 });
        byte[] data = Concat(
            new byte[] { 0x30, 0x80, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02, 0xA0, 0x80 },
            signedData,
            new byte[] { 0x00, 0x00, 0x00, 0x00 });

        CertificateFileContent content = CertificateFile.Read(data);

        Assert.Equal(CertificateFileFormat.Pkcs7, content.Format);
        Assert.Equal(new[] { Pki.Root, Pki.EcRoot }, content.Certificates);
    }

    [Fact]
    public void An_empty_input_is_reported_at_offset_0_with_the_accepted_formats()
    {
        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => CertificateFile.Read(Array.Empty<byte>()));

        Assert.Equal(0, error.Offset);
        Assert.Contains(".sst", error.Message, StringComparison.Ordinal);
        Assert.Contains("PEM", error.Message, StringComparison.Ordinal);
        Assert.Contains(".p7b", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hello, world")]
    [InlineData("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA")]
    [InlineData("\u0001\u0002\u0003")]
    public void An_unknown_format_is_reported_at_offset_0_with_the_accepted_formats(string text)
    {
        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => CertificateFile.Read(Encoding.UTF8.GetBytes(text)));

        Assert.Equal(0, error.Offset);
        Assert.Contains("not recognized", error.Reason, StringComparison.Ordinal);
        Assert.Contains(".cer", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PRIVATE KEY")]
    [InlineData("RSA PRIVATE KEY")]
    [InlineData("X509 CRL")]
    [InlineData("TRUSTED CERTIFICATE")]
    [InlineData("X509 CERTIFICATE")]
    public void A_pem_block_other_than_certificate_or_pkcs7_is_refused_at_its_begin_line(string label)
    {
        string text = Pem("CERTIFICATE", Pki.Root) + "note\n" + Pem(label, new byte[] { 0x30, 0x00 });

        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => CertificateFile.Read(Encoding.ASCII.GetBytes(text)));

        Assert.Equal(text.IndexOf("-----BEGIN " + label, StringComparison.Ordinal), error.Offset);
        Assert.Contains("'" + label + "'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pem_block_without_its_end_line_is_reported_at_its_begin_line()
    {
        string text = "x\n" + Pem("CERTIFICATE", Pki.Root).Replace("-----END CERTIFICATE-----", string.Empty, StringComparison.Ordinal);

        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => CertificateFile.Read(Encoding.ASCII.GetBytes(text)));

        Assert.Equal(2, error.Offset);
        Assert.Contains("-----END CERTIFICATE-----", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_begin_line_without_closing_dashes_is_reported_at_the_begin_line()
    {
        CertificateFormatException error = Assert.Throws<CertificateFormatException>(
            () => CertificateFile.Read(Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE\nMII=\n")));

        Assert.Equal(0, error.Offset);
    }

    [Fact]
    public void A_character_that_is_not_base64_is_reported_at_its_offset()
    {
        string text = Pem("CERTIFICATE", Pki.Root);
        int at = text.IndexOf('\n', StringComparison.Ordinal) + 10;
        text = string.Concat(text.AsSpan(0, at), "*", text.AsSpan(at + 1));

        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => CertificateFile.Read(Encoding.ASCII.GetBytes(text)));

        Assert.Equal(at, error.Offset);
        Assert.Contains("0x2A", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Base64_of_a_wrong_length_is_reported_at_the_block_body()
    {
        string text = "-----BEGIN CERTIFICATE-----\nMIIB\nM\n-----END CERTIFICATE-----\n";

        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => CertificateFile.Read(Encoding.ASCII.GetBytes(text)));

        Assert.Equal("-----BEGIN CERTIFICATE-----".Length, error.Offset);
    }

    [Fact]
    public void An_empty_pem_block_is_refused()
    {
        string text = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";

        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => CertificateFile.Read(Encoding.ASCII.GetBytes(text)));

        Assert.Equal(0, error.Offset);
        Assert.Contains("empty", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_block_that_does_not_hold_a_certificate_is_reported_at_its_begin_line()
    {
        string text = Pem("CERTIFICATE", Pki.Root) + Pem("CERTIFICATE", new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 });

        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => CertificateFile.Read(Encoding.ASCII.GetBytes(text)));

        Assert.Equal(Pem("CERTIFICATE", Pki.Root).Length, error.Offset);
        Assert.Contains("X.509", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_der_certificate_with_trailing_bytes_is_reported_where_they_start()
    {
        byte[] data = Pki.Root.Concat(new byte[] { 0x0D, 0x0A }).ToArray();

        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => CertificateFile.Read(data));

        Assert.Equal(Pki.Root.Length, error.Offset);
    }

    [Fact]
    public void A_truncated_der_certificate_is_reported_at_its_length()
    {
        byte[] data = Pki.Root.Take(Pki.Root.Length - 1).ToArray();

        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => CertificateFile.Read(data));

        Assert.Equal(1, error.Offset);
    }

    [Fact]
    public void A_pkcs7_content_info_that_is_not_signed_data_is_reported_at_its_content_type()
    {
        byte[] data = { 0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x03, 0xA0, 0x00 };

        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => CertificateFile.Read(data));

        Assert.Equal(2, error.Offset);
        Assert.Contains("1.2.840.113549.1.7.3", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pkcs7_without_signer_infos_is_reported_where_they_should_be()
    {
        byte[] full = CertificateFile.WritePkcs7(new[] { Pki.Root });
        // Drop the empty signerInfos SET (the last two bytes) and fix the three enclosing lengths.
        var data = Asn1Object.FromByteArray(full);
        ContentInfo contentInfo = ContentInfo.GetInstance(data);
        Asn1Sequence signedData = (Asn1Sequence)contentInfo.Content.ToAsn1Object();
        var shortened = new DerSequence(signedData.Cast<Asn1Encodable>().Take(signedData.Count - 1).ToArray());
        byte[] broken = new ContentInfo(contentInfo.ContentType, shortened).GetEncoded(Asn1Encodable.Der);

        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => CertificateFile.Read(broken));

        Assert.Equal(broken.Length, error.Offset);
        Assert.Contains("signerInfos", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Writers_reject_null_a_null_item_and_an_item_that_is_not_a_certificate()
    {
        foreach (Func<IEnumerable<byte[]>, byte[]> write in new Func<IEnumerable<byte[]>, byte[]>[] { CertificateFile.WritePem, CertificateFile.WritePkcs7 })
        {
            Assert.Equal("certificates", Assert.Throws<ArgumentNullException>(() => write(null!)).ParamName);
            Assert.Equal("certificates", Assert.Throws<ArgumentException>(() => write(new[] { Pki.Root, null! })).ParamName);
            Assert.Equal("certificates", Assert.Throws<ArgumentException>(() => write(new[] { new byte[] { 0x30, 0x00 } })).ParamName);
        }
    }

    [Fact]
    public void Read_rejects_null()
    {
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => CertificateFile.Read(null!)).ParamName);
    }

    [Fact]
    public void Ten_thousand_mutations_of_pem_der_and_pkcs7_files_either_read_or_throw_CertificateFormatException()
    {
        byte[] p7b = CertificateFile.WritePkcs7(new[] { Pki.Root, Pki.EcRoot, Pki.Leaf });
        var seeds = new List<(byte[] Data, List<int> AsnLengths)>
        {
            (Encoding.ASCII.GetBytes("subject=CN=Test Root CA\n" + Encoding.ASCII.GetString(CertificateFile.WritePem(Pki.All))), new List<int>()),
            (Encoding.ASCII.GetBytes(Pem("PKCS7", p7b).Replace("\n", "\r\n", StringComparison.Ordinal)), new List<int>()),
            (Pki.Root, Asn1Walker.LengthOffsets(Pki.Root)),
            (Pki.EcRoot, Asn1Walker.LengthOffsets(Pki.EcRoot)),
            (p7b, Asn1Walker.LengthOffsets(p7b)),
        };
        var known = new HashSet<string>(Pki.All.Select(Convert.ToBase64String), StringComparer.Ordinal);

        var mutator = new Mutator(seed: 7468);
        var failures = new List<string>();
        var accepted = new int[seeds.Count];
        for (int i = 0; i < 10_000; i++)
        {
            int which = i % seeds.Count;
            byte[] input = mutator.Mutate(seeds[which].Data, Array.Empty<int>(), Array.Empty<int>(), seeds[which].AsnLengths, out string kinds);
            try
            {
                CertificateFileContent content = CertificateFile.Read(input);
                accepted[which]++;
                foreach (byte[] certificate in content.Certificates.Where(der => !known.Contains(Convert.ToBase64String(der))))
                {
                    SmimeCaCertificate parsed = SmimeCaCertificate.Parse(certificate);
                    _ = parsed.Subject + parsed.KeySize + parsed.SignatureAlgorithm + parsed.IsSelfSigned;
                }
            }
            catch (CertificateFormatException)
            {
            }
            catch (Exception ex)
            {
                failures.Add("#" + i + " seed " + which + " (" + kinds + "): " + ex.GetType().Name + ": " + ex.Message);
            }
        }

        _output.WriteLine("accepted per seed (of 2,000 each): " + string.Join(", ", accepted));
        Assert.Empty(failures);
        Assert.All(accepted, count => Assert.InRange(count, 1, 1_999));
    }

    private static string Pem(string label, byte[] content) =>
        "-----BEGIN " + label + "-----\n" + string.Join("\n", Convert.ToBase64String(content).Chunk(64).Select(line => new string(line)))
        + "\n-----END " + label + "-----\n";

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(part => part).ToArray();
}
