using Org.BouncyCastle.X509;
using SmimeAdmin.Core.Certificates;
using Xunit;

namespace SmimeAdmin.Core.Tests.Certificates;

public sealed class SignatureKeyTests
{
    private static TestPki Pki => TestPki.Instance;

    [Fact]
    public void An_rsa_signature_verifies_with_the_issuers_key_only()
    {
        X509Certificate intermediate = Parse(Pki.Intermediate);

        Assert.True(KeyOf(Pki.Root).Verifies(intermediate, Pki.Intermediate));
        Assert.False(KeyOf(Pki.Intermediate).Verifies(intermediate, Pki.Intermediate));
    }

    [Fact]
    public void An_altered_rsa_signature_does_not_verify()
    {
        byte[] altered = (byte[])Pki.Intermediate.Clone();
        altered[altered.Length - 1] ^= 0x01;

        Assert.False(KeyOf(Pki.Root).Verifies(Parse(altered), altered));
    }

    [Fact]
    public void An_ecdsa_signature_is_verified_too()
    {
        X509Certificate ecRoot = Parse(Pki.EcRoot);

        Assert.True(KeyOf(Pki.EcRoot).Verifies(ecRoot, Pki.EcRoot));
        Assert.False(KeyOf(Pki.Root).Verifies(ecRoot, Pki.EcRoot));
    }

    [Fact]
    public void The_platform_gives_the_verdict_for_rsa_and_ecdsa_signatures()
    {
        byte[] alteredEc = (byte[])Pki.EcRoot.Clone();
        alteredEc[alteredEc.Length - 5] ^= 0x01;

        Assert.True(KeyOf(Pki.Root).VerifiesOnPlatform(Parse(Pki.Intermediate), Pki.Intermediate));
        Assert.True(KeyOf(Pki.EcRoot).VerifiesOnPlatform(Parse(Pki.EcRoot), Pki.EcRoot));
        Assert.False(KeyOf(Pki.EcRoot).VerifiesOnPlatform(Parse(alteredEc), alteredEc));
        Assert.False(KeyOf(Pki.EcRoot).Verifies(Parse(alteredEc), alteredEc));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_changed_byte_in_the_signed_part_fails_on_the_platform_and_in_BouncyCastle(bool ec)
    {
        byte[] original = ec ? Pki.EcRoot : Pki.Intermediate;
        SignatureKey key = KeyOf(ec ? Pki.EcRoot : Pki.Root);
        byte[] altered = (byte[])original.Clone();

        // Inside the serial number, the first field of tbsCertificate after its version: still a certificate.
        altered[15] ^= 0x01;

        Assert.False(key.VerifiesOnPlatform(Parse(altered), altered));
        Assert.False(key.Verifies(Parse(altered), altered));
    }

    [Fact]
    public void The_same_key_verifies_from_several_threads_at_once()
    {
        SignatureKey key = KeyOf(Pki.Root);
        X509Certificate intermediate = Parse(Pki.Intermediate);

        bool[] results = new bool[64];
        System.Threading.Tasks.Parallel.For(0, results.Length, i => results[i] = key.Verifies(intermediate, Pki.Intermediate));

        Assert.All(results, Assert.True);
    }

    private static X509Certificate Parse(byte[] der) => new X509CertificateParser().ReadCertificate(der);

    private static SignatureKey KeyOf(byte[] certificate) =>
        SignatureKey.Decode(Parse(certificate).CertificateStructure.SubjectPublicKeyInfo)!;
}
