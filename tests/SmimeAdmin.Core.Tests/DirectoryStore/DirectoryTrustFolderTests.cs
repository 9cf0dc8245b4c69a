using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Ldap;
using Xunit;

namespace SmimeAdmin.Core.Tests.DirectoryStore;

/// <summary>
/// The CA folder a connection gives libldap for -TrustedCertificate: trusted.pem for GnuTLS builds, and each given
/// certificate under its subject-hash name for OpenSSL builds. OpenSSL's own lookup (<c>openssl verify -CApath</c>,
/// with its default store switched off) stands in for an OpenSSL build of libldap, which this machine does not have.
/// No server is needed: the folder is written when the connection is made, before it connects.
/// </summary>
public sealed class DirectoryTrustFolderTests : IDisposable
{
    private readonly TempFolder _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Each_given_certificate_is_in_trusted_pem_and_under_its_OpenSSL_subject_hash()
    {
        using X509Certificate2 ca = Authority("CN=SmimeAdmin Test LDAP CA", out _);
        using X509Certificate2 other = Authority("CN=Another CA", out _);
        string folder;

        using (DirectoryConnection connection = Connect(ca, other))
        {
            folder = Assert.IsType<string>(connection.TrustFolder);
            string caHash = OpenSslHash(ca);
            string otherHash = OpenSslHash(other);
            Assert.Equal(
                new[] { caHash + ".0", otherHash + ".0", "trusted.pem" }.Order(StringComparer.Ordinal),
                Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal(ca.ExportCertificatePem().Trim(), File.ReadAllText(Path.Combine(folder, caHash + ".0")).Trim());
            Assert.Equal(other.ExportCertificatePem().Trim(), File.ReadAllText(Path.Combine(folder, otherHash + ".0")).Trim());

            string bundle = File.ReadAllText(Path.Combine(folder, "trusted.pem"));
            Assert.EndsWith(ca.ExportCertificatePem() + "\n" + other.ExportCertificatePem() + "\n", bundle, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            }
        }

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void OpenSSL_finds_the_test_servers_CA_in_the_folder_and_refuses_a_server_of_another_CA()
    {
        // The CA and server certificate made as tests/Connect-SmimeStore.Ldap.Tests.ps1 makes them for its slapd.
        File.WriteAllText(_pki.Combine("server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        OpenSsl.Run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", _pki.Combine("ca.key"), "-out", _pki.Combine("ca.pem"), "-days", "2", "-subj", "/CN=SmimeAdmin Test LDAP CA");
        OpenSsl.Run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", _pki.Combine("server.key"), "-out", _pki.Combine("server.csr"), "-subj", "/CN=127.0.0.1");
        OpenSsl.Run("x509", "-req", "-in", _pki.Combine("server.csr"), "-CA", _pki.Combine("ca.pem"), "-CAkey", _pki.Combine("ca.key"), "-CAcreateserial", "-out", _pki.Combine("server.pem"), "-days", "2", "-extfile", _pki.Combine("server.ext"));
        OpenSsl.Run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", _pki.Combine("other.key"), "-out", _pki.Combine("other.pem"), "-days", "2", "-subj", "/CN=Another CA");
        using X509Certificate2 ca = X509Certificate2.CreateFromPem(File.ReadAllText(_pki.Combine("ca.pem")));
        using X509Certificate2 other = X509Certificate2.CreateFromPem(File.ReadAllText(_pki.Combine("other.pem")));

        using (DirectoryConnection connection = Connect(ca))
        {
            (int exitCode, string output) = Verify(connection, _pki.Combine("server.pem"));
            Assert.True(exitCode == 0, output);
            Assert.Contains("server.pem: OK", output, StringComparison.Ordinal);
        }

        using (DirectoryConnection connection = Connect(other))
        {
            (int exitCode, string output) = Verify(connection, _pki.Combine("server.pem"));
            Assert.True(exitCode != 0, output);
            Assert.Contains("unable to get local issuer certificate", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_renewed_CA_with_the_same_name_gets_the_next_number_and_a_certificate_given_twice_one_file()
    {
        using X509Certificate2 ca = Authority("CN=Contoso Issuing CA, O=Contoso", out ECDsa caKey);
        using X509Certificate2 renewed = Authority("CN=Contoso Issuing CA, O=Contoso", out ECDsa renewedKey);
        using X509Certificate2 server = Server(ca, caKey);
        using X509Certificate2 serverOfRenewed = Server(renewed, renewedKey);
        caKey.Dispose();
        renewedKey.Dispose();
        string hash = OpenSslHash(ca);

        using DirectoryConnection connection = Connect(ca, renewed, ca);

        string folder = connection.TrustFolder!;
        Assert.Equal(
            new[] { hash + ".0", hash + ".1", "trusted.pem" },
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(renewed.ExportCertificatePem().Trim(), File.ReadAllText(Path.Combine(folder, hash + ".1")).Trim());
        foreach (X509Certificate2 certificate in new[] { server, serverOfRenewed })
        {
            string path = _pki.Combine(certificate.Thumbprint + ".pem");
            File.WriteAllText(path, certificate.ExportCertificatePem());
            (int exitCode, string output) = Verify(connection, path);
            Assert.True(exitCode == 0, output);
        }
    }

    private static DirectoryConnection Connect(params X509Certificate2[] trusted) =>
        new(new LdapStoreOptions(new Uri("ldaps://127.0.0.1:636"), "dc=contoso,dc=com") { TrustedCertificates = trusted.Select(c => c.RawData).ToArray() });

    // OpenSSL's lookup by subject hash in the connection's folder, and nothing else: no CA file, no default store.
    private static (int ExitCode, string Output) Verify(DirectoryConnection connection, string serverPem) =>
        OpenSsl.Try("verify", "-no-CAfile", "-no-CAstore", "-CApath", connection.TrustFolder!, serverPem);

    private string OpenSslHash(X509Certificate2 certificate)
    {
        string path = _pki.Combine(certificate.Thumbprint + ".ca.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return OpenSsl.Run("x509", "-hash", "-noout", "-in", path).Trim();
    }

    private static X509Certificate2 Authority(string name, out ECDsa key)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
    }

    private static X509Certificate2 Server(X509Certificate2 issuer, ECDsa issuerKey)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        byte[] serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        return request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), serial);
    }
}
