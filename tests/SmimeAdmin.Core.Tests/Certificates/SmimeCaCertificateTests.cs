using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using SmimeAdmin.Core.Certificates;
using Xunit;

namespace SmimeAdmin.Core.Tests.Certificates;

public sealed class SmimeCaCertificateTests
{
    private static readonly DateTime s_cutoff = new(2026, 11, 28, 0, 0, 0, DateTimeKind.Utc);

    private static TestPki Pki => TestPki.Instance;

    [Fact]
    public void A_v3_root_is_decoded()
    {
        SmimeCaCertificate root = SmimeCaCertificate.Parse(Pki.Root);

        Assert.Equal("CN=Test Root CA, O=Contoso, C=US", root.Subject);
        Assert.Equal(root.Subject, root.Issuer);
        Assert.Equal("0100AB", root.SerialNumber);
        Assert.Equal(3, root.Version);
        Assert.True(root.IsSelfIssued);
        Assert.True(root.IsCertificateAuthority);
        Assert.Null(root.PathLengthConstraint);
        Assert.Equal("RSA", root.KeyAlgorithm);
        Assert.Equal(2048, root.KeySize);
        Assert.Equal("sha256RSA", root.SignatureAlgorithm);
        Assert.Equal(TestPki.NotBefore, root.NotBefore);
        Assert.Equal(TestPki.NotAfter, root.NotAfter);
        Assert.Equal(DateTimeKind.Utc, root.NotBefore.Kind);
        Assert.Equal(DateTimeKind.Utc, root.NotAfter.Kind);
        Assert.Equal(root.Subject + " (" + root.Thumbprint + ")", root.ToString());
    }

    [Fact]
    public void The_thumbprint_is_the_upper_case_sha1_of_the_der()
    {
#pragma warning disable CA5350 // A thumbprint is defined as the SHA-1 hash.
        string expected = Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(Pki.Root));
#pragma warning restore CA5350

        Assert.Equal(expected, SmimeCaCertificate.Parse(Pki.Root).Thumbprint);
    }

    [Fact]
    public void A_serial_number_with_the_top_bit_set_keeps_its_leading_zero_as_windows_shows_it()
    {
        Assert.Equal("0080", SmimeCaCertificate.Parse(Pki.Intermediate).SerialNumber);
    }

    [Fact]
    public void An_intermediate_has_its_issuer_and_path_length()
    {
        SmimeCaCertificate intermediate = SmimeCaCertificate.Parse(Pki.Intermediate);

        Assert.Equal("CN=Test Intermediate CA, O=Contoso, C=US", intermediate.Subject);
        Assert.Equal("CN=Test Root CA, O=Contoso, C=US", intermediate.Issuer);
        Assert.False(intermediate.IsSelfIssued);
        Assert.True(intermediate.IsCertificateAuthority);
        Assert.Equal(0, intermediate.PathLengthConstraint);
    }

    [Fact]
    public void A_self_issued_v1_root_is_a_certificate_authority()
    {
        SmimeCaCertificate v1 = SmimeCaCertificate.Parse(Pki.V1Root);

        Assert.Equal(1, v1.Version);
        Assert.True(v1.IsSelfIssued);
        Assert.True(v1.IsCertificateAuthority);
        Assert.Null(v1.PathLengthConstraint);
        Assert.Equal("sha1RSA", v1.SignatureAlgorithm);
        Assert.True(v1.IsSelfSigned);
    }

    [Fact]
    public void A_leaf_is_not_a_certificate_authority()
    {
        SmimeCaCertificate leaf = SmimeCaCertificate.Parse(Pki.Leaf);

        Assert.False(leaf.IsCertificateAuthority);
        Assert.Null(leaf.PathLengthConstraint);
        Assert.Equal("CN=alice@contoso.com, O=Contoso", leaf.Subject);
    }

    [Fact]
    public void An_ec_root_names_its_key_and_curve_size()
    {
        SmimeCaCertificate ec = SmimeCaCertificate.Parse(Pki.EcRoot);

        Assert.Equal("EC", ec.KeyAlgorithm);
        Assert.Equal(384, ec.KeySize);
        Assert.Equal("sha384ECDSA", ec.SignatureAlgorithm);
        Assert.Equal(1, ec.PathLengthConstraint);
        Assert.True(ec.IsSelfSigned);
    }

    [Fact]
    public void IsSignedBy_verifies_the_signature_with_the_issuers_key()
    {
        SmimeCaCertificate root = SmimeCaCertificate.Parse(Pki.Root);
        SmimeCaCertificate intermediate = SmimeCaCertificate.Parse(Pki.Intermediate);
        SmimeCaCertificate leaf = SmimeCaCertificate.Parse(Pki.Leaf);

        Assert.True(intermediate.IsSignedBy(root));
        Assert.True(leaf.IsSignedBy(intermediate));
        Assert.True(root.IsSignedBy(root));
        Assert.False(intermediate.IsSignedBy(intermediate));
        Assert.False(leaf.IsSignedBy(root));
        Assert.False(root.IsSignedBy(intermediate));
    }

    [Fact]
    public void IsSignedBy_is_false_for_a_certificate_that_names_the_issuer_but_was_signed_by_another_key()
    {
        SmimeCaCertificate impostor = SmimeCaCertificate.Parse(Pki.ImpostorIntermediate);
        SmimeCaCertificate root = SmimeCaCertificate.Parse(Pki.Root);

        Assert.Equal(root.Subject, impostor.Issuer);
        Assert.False(impostor.IsSignedBy(root));
    }

    [Fact]
    public void IsSignedBy_is_false_rather_than_throwing_when_the_key_does_not_fit_the_algorithm()
    {
        SmimeCaCertificate rsa = SmimeCaCertificate.Parse(Pki.Root);
        SmimeCaCertificate ec = SmimeCaCertificate.Parse(Pki.EcRoot);

        Assert.False(rsa.IsSignedBy(ec));
        Assert.False(ec.IsSignedBy(rsa));
    }

    [Fact]
    public void A_damaged_signature_does_not_verify()
    {
        byte[] damaged = Pki.Root.ToArray();
        damaged[^5] ^= 0x01;

        SmimeCaCertificate certificate = SmimeCaCertificate.Parse(damaged);

        Assert.True(certificate.IsSelfIssued);
        Assert.False(certificate.IsSelfSigned);
        Assert.True(SmimeCaCertificate.Parse(Pki.Root).IsSelfSigned);
    }

    [Fact]
    public void IsSignedBy_rejects_null()
    {
        Assert.Equal("issuer", Assert.Throws<ArgumentNullException>(() => SmimeCaCertificate.Parse(Pki.Root).IsSignedBy(null!)).ParamName);
    }

    [Fact]
    public void RawData_is_a_copy()
    {
        byte[] input = Pki.Root.ToArray();
        SmimeCaCertificate certificate = SmimeCaCertificate.Parse(input);
        input[10] ^= 0xFF;
        certificate.RawData[10] ^= 0xFF;

        Assert.Equal(Pki.Root, certificate.RawData);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x02, 0x01, 0x01 })]
    [InlineData(new byte[] { 0x30, 0x00 })]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 })]
    [InlineData(new byte[] { 0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF })]
    public void Parse_reports_bytes_that_are_not_a_certificate_at_offset_0(byte[] der)
    {
        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => SmimeCaCertificate.Parse(der));

        Assert.Equal(0, error.Offset);
        Assert.Contains("X.509", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_rejects_null()
    {
        Assert.Equal("der", Assert.Throws<ArgumentNullException>(() => SmimeCaCertificate.Parse(null!)).ParamName);
    }

    [Fact]
    public void Every_windows_root_decodes_as_dotnet_decodes_it()
    {
        foreach (byte[] der in SerializedCertificateStore.Read(TestData.WindowsRoots))
        {
            SmimeCaCertificate ours = SmimeCaCertificate.Parse(der);
            using X509Certificate2 dotnet = X509CertificateLoader.LoadCertificate(der);

            // Attribute types without a Windows short name are shown as OID.<dotted>; .NET on Linux has its own name
            // for organizationIdentifier (2.5.4.97), used by several European roots.
            Assert.Equal(dotnet.SubjectName.Name.Replace("organizationIdentifier=", "OID.2.5.4.97=", StringComparison.Ordinal), ours.Subject);
            Assert.Equal(dotnet.IssuerName.Name.Replace("organizationIdentifier=", "OID.2.5.4.97=", StringComparison.Ordinal), ours.Issuer);
            Assert.Equal(dotnet.SerialNumber, ours.SerialNumber);
            Assert.Equal(dotnet.Thumbprint, ours.Thumbprint);
            Assert.Equal(dotnet.NotBefore.ToUniversalTime(), ours.NotBefore);
            Assert.Equal(dotnet.NotAfter.ToUniversalTime(), ours.NotAfter);
            Assert.Equal(dotnet.Version, ours.Version);
            Assert.Equal(dotnet.SignatureAlgorithm.FriendlyName, ours.SignatureAlgorithm);
            int keySize = dotnet.PublicKey.GetRSAPublicKey()?.KeySize ?? dotnet.PublicKey.GetECDsaPublicKey()?.KeySize ?? 0;
            Assert.Equal(keySize, ours.KeySize);
            X509BasicConstraintsExtension? constraints = dotnet.Extensions.OfType<X509BasicConstraintsExtension>().SingleOrDefault();
            Assert.Equal(
                constraints is { CertificateAuthority: true, HasPathLengthConstraint: true } ? constraints.PathLengthConstraint : null,
                ours.PathLengthConstraint);
        }
    }

    [Fact]
    public void Every_unexpired_windows_root_is_self_signed_whatever_its_signature_algorithm()
    {
        List<SmimeCaCertificate> unexpired = SerializedCertificateStore.Read(TestData.WindowsRoots)
            .Select(SmimeCaCertificate.Parse)
            .Where(certificate => certificate.NotAfter >= s_cutoff)
            .ToList();

        Assert.Equal(322, unexpired.Count);
        Assert.All(unexpired, certificate => Assert.True(certificate.IsSelfSigned, certificate.ToString()));
        Assert.Contains(unexpired, certificate => certificate.SignatureAlgorithm == "md2RSA");
    }
}
