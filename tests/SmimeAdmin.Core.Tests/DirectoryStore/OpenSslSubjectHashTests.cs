using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using SmimeAdmin.Ldap;
using Xunit;

namespace SmimeAdmin.Core.Tests.DirectoryStore;

/// <summary>
/// The subject hash that names a CA in the trust folder, against <c>openssl x509 -hash</c> on the same certificate.
/// The names are written attribute by attribute, so each test controls the string type of every value.
/// </summary>
public sealed class OpenSslSubjectHashTests : IDisposable
{
    private const string CommonName = "2.5.4.3";
    private const string Organization = "2.5.4.10";
    private const string OrganizationalUnit = "2.5.4.11";
    private const string Country = "2.5.4.6";
    private const string SerialNumber = "2.5.4.5";
    private const string UserId = "0.9.2342.19200300.100.1.1";
    private const string DomainComponent = "0.9.2342.19200300.100.1.25";
    private const string EmailAddress = "1.2.840.113549.1.9.1";

    private static readonly ECDsa s_key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static long s_serial;

    private readonly TempFolder _folder = new();

    /// <summary>Each name, by what it exercises; the hash must be the one openssl prints.</summary>
    public static TheoryData<string> Names => new(s_names.Keys);

    private static readonly Dictionary<string, byte[]> s_names = new()
    {
        ["a plain common name"] = Name(Rdn((CommonName, UniversalTagNumber.UTF8String, "SmimeAdmin Test LDAP CA"))),
        ["mixed case and extra white space"] = Name(
            Rdn((Country, UniversalTagNumber.PrintableString, "DE")),
            Rdn((Organization, UniversalTagNumber.UTF8String, "  Contoso   LTD \t")),
            Rdn((CommonName, UniversalTagNumber.UTF8String, "\r\nIssuing\t\t CA\v\f 01  "))),
        ["a multi-valued RDN in DER order"] = Name(
            Rdn((Organization, UniversalTagNumber.UTF8String, "Contoso")),
            Rdn((CommonName, UniversalTagNumber.UTF8String, "Alice"), (UserId, UniversalTagNumber.UTF8String, "ALICE"))),
        ["a multi-valued RDN out of DER order"] = Name(
            Rdn((UserId, UniversalTagNumber.PrintableString, "Bob"), (CommonName, UniversalTagNumber.UTF8String, "Bob Example"), (SerialNumber, UniversalTagNumber.PrintableString, "42"))),
        ["non-ASCII UTF-8, whose letters keep their case"] = Name(
            Rdn((Organization, UniversalTagNumber.UTF8String, "Müller & Söhne GmbH")),
            Rdn((CommonName, UniversalTagNumber.UTF8String, "ÄRGER Ünïcødé  测试 CA\u00A0X"))),
        ["a PrintableString value"] = Name(Rdn((CommonName, UniversalTagNumber.PrintableString, "Contoso Root CA"))),
        ["the same value as UTF8String"] = Name(Rdn((CommonName, UniversalTagNumber.UTF8String, "Contoso Root CA"))),
        ["an email address in IA5String"] = Name(
            Rdn((CommonName, UniversalTagNumber.UTF8String, "Admin")),
            Rdn((EmailAddress, UniversalTagNumber.IA5String, "Admin@Contoso.COM"))),
        ["domain components in IA5String"] = Name(
            Rdn((DomainComponent, UniversalTagNumber.IA5String, "COM")),
            Rdn((DomainComponent, UniversalTagNumber.IA5String, "Contoso")),
            Rdn((CommonName, UniversalTagNumber.UTF8String, "Users"))),
        ["BMPString and UniversalString values"] = Name(
            Rdn((Organization, UniversalTagNumber.BMPString, " Fabrikam  ÖSTERREICH ")),
            Rdn((CommonName, UniversalTagNumber.UniversalString, "Fabrikam CA 😀"))),
        ["a T61String value with a Latin-1 byte"] = Name(
            Rdn((Organization, UniversalTagNumber.T61String, "Café  ROYAL")),
            Rdn((OrganizationalUnit, UniversalTagNumber.T61String, "IT  Dept"))),
        ["a NumericString, which is kept as it is"] = Name(
            Rdn((SerialNumber, UniversalTagNumber.NumericString, " 0012  34 ")),
            Rdn((CommonName, UniversalTagNumber.UTF8String, "Numbered"))),
        ["a value of white space only"] = Name(
            Rdn((OrganizationalUnit, UniversalTagNumber.UTF8String, " \t ")),
            Rdn((CommonName, UniversalTagNumber.UTF8String, "Blank Unit"))),
        ["an empty subject"] = Name(),
    };

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(Names))]
    public void The_hash_is_the_one_openssl_prints(string name)
    {
        byte[] subject = s_names[name];

        Assert.Equal(OpenSslHash(SelfSigned(subject)), OpenSslSubjectHash.Compute(subject));
    }

    [Fact]
    public void A_certificate_is_hashed_by_its_subject_not_its_issuer()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var root = new CertificateRequest("CN=Contoso Root CA", key, HashAlgorithmName.SHA256);
        root.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 issuer = root.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using X509Certificate2 certificate = new CertificateRequest("CN=Contoso  ISSUING CA, O=Contoso", s_key, HashAlgorithmName.SHA256)
            .Create(issuer, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), new byte[] { 1, 2, 3 });

        Assert.Equal(OpenSslHash(certificate.RawData), OpenSslSubjectHash.Compute(certificate));
        Assert.NotEqual(OpenSslSubjectHash.Compute(issuer), OpenSslSubjectHash.Compute(certificate));
    }

    [Fact]
    public void Names_that_differ_only_in_case_white_space_or_string_type_share_a_hash()
    {
        string hash = OpenSslSubjectHash.Compute(Name(Rdn((CommonName, UniversalTagNumber.UTF8String, "contoso root ca"))));

        Assert.Equal(hash, OpenSslSubjectHash.Compute(s_names["a PrintableString value"]));
        Assert.Equal(hash, OpenSslSubjectHash.Compute(s_names["the same value as UTF8String"]));
        Assert.Equal(hash, OpenSslSubjectHash.Compute(Name(Rdn((CommonName, UniversalTagNumber.BMPString, "  CONTOSO\t\tRoot CA ")))));
        Assert.NotEqual(hash, OpenSslSubjectHash.Compute(Name(Rdn((CommonName, UniversalTagNumber.UTF8String, "Contoso Root CA 2")))));

        // OpenSSL's list of string types it canonicalizes names VisibleString, though OpenSSL 3 reads no certificate
        // with a VisibleString in a name, so openssl cannot be asked.
        Assert.Equal(hash, OpenSslSubjectHash.Compute(Name(Rdn((CommonName, UniversalTagNumber.VisibleString, "Contoso  ROOT CA")))));
    }

    [Fact]
    public void An_empty_name_hashes_the_empty_encoding()
    {
        // SHA-1 of nothing is da39a3ee...; its first four bytes read little-endian.
        Assert.Equal("eea339da", OpenSslSubjectHash.Compute(Name()));
        Assert.Empty(OpenSslSubjectHash.CanonicalEncoding(Name()));
    }

    [Fact]
    public void A_name_that_is_not_DER_or_holds_an_invalid_string_is_refused()
    {
        Assert.Throws<CryptographicException>(() => OpenSslSubjectHash.Compute(new byte[] { 0x31, 0x00 }));
        Assert.Throws<CryptographicException>(() => OpenSslSubjectHash.Compute(Name(Rdn((CommonName, UniversalTagNumber.UTF8String, "x"))).Concat(new byte[] { 0 }).ToArray()));
        Assert.Throws<CryptographicException>(() => OpenSslSubjectHash.Compute(NameWithRawValue(UniversalTagNumber.UTF8String, new byte[] { 0xC3, 0x28 })));
        Assert.Throws<CryptographicException>(() => OpenSslSubjectHash.Compute(NameWithRawValue(UniversalTagNumber.BMPString, new byte[] { 0x00, 0x41, 0x00 })));
    }

    private string OpenSslHash(byte[] certificate)
    {
        string path = _folder.Combine(Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(path, PemEncoding.WriteString("CERTIFICATE", certificate));
        return OpenSsl.Run("x509", "-hash", "-noout", "-in", path).Trim();
    }

    // A self-signed certificate written field by field: .NET's certificate classes refuse some of the string types
    // a name may hold (VisibleString), openssl reads them all.
    private static byte[] SelfSigned(byte[] name)
    {
        var tbs = new AsnWriter(AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                tbs.WriteInteger(2);
            }

            tbs.WriteInteger(Interlocked.Increment(ref s_serial));
            WriteSignatureAlgorithm(tbs);
            tbs.WriteEncodedValue(name);
            using (tbs.PushSequence())
            {
                tbs.WriteUtcTime(DateTimeOffset.UtcNow.AddDays(-1));
                tbs.WriteUtcTime(DateTimeOffset.UtcNow.AddDays(1));
            }

            tbs.WriteEncodedValue(name);
            tbs.WriteEncodedValue(s_key.ExportSubjectPublicKeyInfo());
        }

        byte[] toBeSigned = tbs.Encode();
        var certificate = new AsnWriter(AsnEncodingRules.DER);
        using (certificate.PushSequence())
        {
            certificate.WriteEncodedValue(toBeSigned);
            WriteSignatureAlgorithm(certificate);
            certificate.WriteBitString(s_key.SignData(toBeSigned, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }

        return certificate.Encode();
    }

    private static void WriteSignatureAlgorithm(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.2.840.10045.4.3.2"); // ecdsa-with-SHA256
        }
    }

    private static (string Oid, UniversalTagNumber Type, string Value)[] Rdn(params (string Oid, UniversalTagNumber Type, string Value)[] attributes) => attributes;

    // The RDNs in the order given; the attributes of each in the order given too (BER, which does not sort a SET OF),
    // so that a name can hold an RDN out of DER order as some issuers write them.
    private static byte[] Name(params (string Oid, UniversalTagNumber Type, string Value)[][] rdns)
    {
        var writer = new AsnWriter(AsnEncodingRules.BER);
        using (writer.PushSequence())
        {
            foreach ((string Oid, UniversalTagNumber Type, string Value)[] rdn in rdns)
            {
                using (writer.PushSetOf())
                {
                    foreach ((string oid, UniversalTagNumber type, string value) in rdn)
                    {
                        using (writer.PushSequence())
                        {
                            writer.WriteObjectIdentifier(oid);
                            writer.WriteEncodedValue(Primitive(type, Encode(type, value)));
                        }
                    }
                }
            }
        }

        return writer.Encode();
    }

    private static byte[] NameWithRawValue(UniversalTagNumber type, byte[] contents)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSetOf())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(CommonName);
            writer.WriteEncodedValue(Primitive(type, contents));
        }

        return writer.Encode();
    }

    // AsnWriter writes the string types from text it checks, so the bytes of each value are put together here.
    private static byte[] Primitive(UniversalTagNumber type, byte[] contents)
    {
        var length = new AsnWriter(AsnEncodingRules.DER);
        length.WriteOctetString(contents);
        byte[] encoded = length.Encode();
        encoded[0] = (byte)type;
        return encoded;
    }

    // The bytes a value of the type holds: the one-byte types as ISO 8859-1, as OpenSSL reads them.
    private static byte[] Encode(UniversalTagNumber type, string value) => type switch
    {
        UniversalTagNumber.UTF8String => Encoding.UTF8.GetBytes(value),
        UniversalTagNumber.BMPString => Encoding.BigEndianUnicode.GetBytes(value),
        UniversalTagNumber.UniversalString => new UTF32Encoding(bigEndian: true, byteOrderMark: false).GetBytes(value),
        _ => Encoding.Latin1.GetBytes(value),
    };
}
