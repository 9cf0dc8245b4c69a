using System;
using System.Linq;
using System.Reflection;
using System.Text;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Tests.Certificates;
using Xunit;

namespace SmimeAdmin.Core.Tests.Publishing;

public sealed class UserCertificateFileTests
{
    private static PublishingPki Users => PublishingPki.Instance;

    private static TestPki Ca => TestPki.Instance;

    [Fact]
    public void A_pfx_gives_the_users_certificate_its_chain_and_its_key()
    {
        byte[] pfx = Users.Pfx(PublishingPki.Password, Users.AliceSigningKey.Private, Users.AliceSigning, Ca.Intermediate, Ca.Root);

        UserCertificateFileContent content = UserCertificateFile.Read(pfx, PublishingPki.Password);

        Assert.Equal(UserCertificateFileFormat.Pkcs12, content.Format);
        Assert.Equal(new[] { Users.AliceSigning }, content.UserCertificates);
        Assert.Equal(2, content.ChainCertificates.Count);
        Assert.Contains(Ca.Intermediate, content.ChainCertificates);
        Assert.Contains(Ca.Root, content.ChainCertificates);
        Assert.NotNull(content.SigningKey);
        Assert.Equal("RSA", content.SigningKey!.KeyAlgorithm);
        Assert.Equal(Thumbprint(Users.AliceSigning), content.SigningKey.CertificateThumbprint);
    }

    [Fact]
    public void With_a_signing_and_an_encryption_key_the_signing_one_signs_and_its_certificate_comes_first()
    {
        byte[] pfx = Users.Pfx(
            PublishingPki.Password,
            new[]
            {
                (Users.AliceEncryptionKey.Private, new[] { Users.AliceEncryption, Ca.Intermediate }),
                (Users.AliceSigningKey.Private, new[] { Users.AliceSigning, Ca.Intermediate }),
            },
            new[] { Ca.Root });

        UserCertificateFileContent content = UserCertificateFile.Read(pfx, PublishingPki.Password);

        Assert.Equal(Thumbprint(Users.AliceSigning), content.SigningKey!.CertificateThumbprint);
        Assert.Equal(2, content.UserCertificates.Count);
        Assert.Equal(Users.AliceSigning, content.UserCertificates[0]);
        Assert.Contains(Users.AliceEncryption, content.UserCertificates);
        Assert.Equal(2, content.ChainCertificates.Count);
    }

    [Fact]
    public void An_ec_key_is_read_as_an_ec_signing_key()
    {
        byte[] pfx = Users.Pfx(PublishingPki.Password, Users.BobKey.Private, Users.Bob, Ca.Intermediate);

        Assert.Equal("EC", UserCertificateFile.Read(pfx, PublishingPki.Password).SigningKey!.KeyAlgorithm);
    }

    [Fact]
    public void A_wrong_password_is_reported_as_such()
    {
        byte[] pfx = Users.Pfx(PublishingPki.Password, Users.AliceSigningKey.Private, Users.AliceSigning);

        CertificatePasswordException error = Assert.Throws<CertificatePasswordException>(() => UserCertificateFile.Read(pfx, "wrong"));

        Assert.True(error.PasswordGiven);
        Assert.Contains("password is wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_password_is_reported_as_missing()
    {
        byte[] pfx = Users.Pfx(PublishingPki.Password, Users.AliceSigningKey.Private, Users.AliceSigning);

        CertificatePasswordException error = Assert.Throws<CertificatePasswordException>(() => UserCertificateFile.Read(pfx, null));

        Assert.False(error.PasswordGiven);
        Assert.Contains("none was given", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pfx_exported_with_an_empty_password_opens_without_one()
    {
        byte[] pfx = Users.Pfx(string.Empty, Users.AliceSigningKey.Private, Users.AliceSigning);

        Assert.NotNull(UserCertificateFile.Read(pfx, null).SigningKey);
    }

    [Fact]
    public void A_truncated_pfx_is_a_format_error_not_a_password_error()
    {
        byte[] pfx = Users.Pfx(PublishingPki.Password, Users.AliceSigningKey.Private, Users.AliceSigning);

        Assert.Throws<CertificateFormatException>(() => UserCertificateFile.Read(pfx.Take(pfx.Length / 2).ToArray(), PublishingPki.Password));
    }

    [Fact]
    public void A_cer_gives_the_certificate_without_a_key()
    {
        UserCertificateFileContent content = UserCertificateFile.Read(Users.AliceSigning, "ignored");

        Assert.Equal(UserCertificateFileFormat.Der, content.Format);
        Assert.Equal(new[] { Users.AliceSigning }, content.UserCertificates);
        Assert.Empty(content.ChainCertificates);
        Assert.Null(content.SigningKey);
    }

    [Fact]
    public void A_p7b_bundle_is_split_into_the_users_certificates_and_the_chain_whatever_the_order()
    {
        byte[] p7b = CertificateFile.WritePkcs7(new[] { Ca.Root, Users.AliceEncryption, Ca.V1Root, Ca.Intermediate, Users.AliceSigning });

        UserCertificateFileContent content = UserCertificateFile.Read(p7b, null);

        Assert.Equal(UserCertificateFileFormat.Pkcs7, content.Format);
        Assert.Equal(
            new[] { Users.AliceSigning, Users.AliceEncryption }.Select(Thumbprint).OrderBy(text => text),
            content.UserCertificates.Select(Thumbprint).OrderBy(text => text));
        Assert.Equal(
            new[] { Ca.Root, Ca.V1Root, Ca.Intermediate }.Select(Thumbprint).OrderBy(text => text),
            content.ChainCertificates.Select(Thumbprint).OrderBy(text => text));
    }

    [Fact]
    public void A_pem_file_keeps_the_file_order_of_the_users_certificates()
    {
        byte[] pem = CertificateFile.WritePem(new[] { Users.AliceEncryption, Ca.Intermediate, Users.AliceSigning });

        UserCertificateFileContent content = UserCertificateFile.Read(pem, null);

        Assert.Equal(UserCertificateFileFormat.Pem, content.Format);
        Assert.Equal(new[] { Users.AliceEncryption, Users.AliceSigning }, content.UserCertificates);
        Assert.Equal(new[] { Ca.Intermediate }, content.ChainCertificates);
    }

    [Theory]
    [InlineData("PRIVATE KEY")]
    [InlineData("RSA PRIVATE KEY")]
    [InlineData("ENCRYPTED PRIVATE KEY")]
    [InlineData("EC PRIVATE KEY")]
    public void Pem_text_with_a_private_key_is_refused_with_a_pointer_to_pfx(string label)
    {
        string pem = Encoding.ASCII.GetString(CertificateFile.WritePem(new[] { Users.AliceSigning }))
            + "-----BEGIN " + label + "-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END " + label + "-----\n";

        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => UserCertificateFile.Read(Encoding.ASCII.GetBytes(pem), null));

        Assert.Contains("PKCS #12 (.pfx)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_with_only_ca_certificates_is_refused()
    {
        byte[] p7b = CertificateFile.WritePkcs7(new[] { Ca.Root, Ca.Intermediate });

        CertificateFormatException error = Assert.Throws<CertificateFormatException>(() => UserCertificateFile.Read(p7b, null));

        Assert.Contains("all of its 2 certificates are certification authorities", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_content_is_refused()
    {
        Assert.Equal("content", Assert.Throws<ArgumentNullException>(() => UserCertificateFile.Read(null!, null)).ParamName);
        Assert.Throws<CertificateFormatException>(() => UserCertificateFile.Read(Encoding.ASCII.GetBytes("not a certificate"), null));
        Assert.Throws<CertificateFormatException>(() => UserCertificateFile.Read(Array.Empty<byte>(), null));
    }

    [Fact]
    public void The_signing_key_shows_no_key_material()
    {
        SmimeSigningKey key = UserCertificateFile.Read(
            Users.Pfx(PublishingPki.Password, Users.AliceSigningKey.Private, Users.AliceSigning), PublishingPki.Password).SigningKey!;

        PropertyInfo[] properties = typeof(SmimeSigningKey).GetProperties(BindingFlags.Public | BindingFlags.Instance);

        Assert.Equal("CertificateThumbprint, KeyAlgorithm", string.Join(", ", properties.Select(property => property.Name).OrderBy(name => name, StringComparer.Ordinal)));
        Assert.All(properties, property => Assert.Equal(typeof(string), property.PropertyType));
        Assert.Empty(typeof(SmimeSigningKey).GetConstructors());
        Assert.Equal("RSA private key of certificate " + Thumbprint(Users.AliceSigning), key.ToString());
    }

    private static string Thumbprint(byte[] certificate) => SmimeCaCertificate.Parse(certificate).Thumbprint;
}
