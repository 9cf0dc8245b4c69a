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

        Assert.True(KeyOf(Pki.Root).Verifies(intermediate));
        Assert.False(KeyOf(Pki.Intermediate).Verifies(intermediate));
    }

    [Fact]
    public void An_altered_rsa_signature_does_not_verify()
    {
        byte[] altered = (byte[])Pki.Intermediate.Clone();
        altered[altered.Length - 1] ^= 0x01;

        Assert.False(KeyOf(Pki.Root).Verifies(Parse(altered)));
    }

    [Fact]
    public void An_ecdsa_signature_is_verified_too()
    {
        X509Certificate ecRoot = Parse(Pki.EcRoot);

        Assert.True(KeyOf(Pki.EcRoot).Verifies(ecRoot));
        Assert.False(KeyOf(Pki.Root).Verifies(ecRoot));
    }

    [Fact]
    public void The_platform_gives_the_verdict_for_rsa_and_ecdsa_signatures()
    {
        byte[] alteredEc = (byte[])Pki.EcRoot.Clone();
        alteredEc[alteredEc.Length - 5] ^= 0x01;

        Assert.True(KeyOf(Pki.Root).VerifiesOnPlatform(Parse(Pki.Intermediate)));
        Assert.True(KeyOf(Pki.EcRoot).VerifiesOnPlatform(Parse(Pki.EcRoot)));
        Assert.False(KeyOf(Pki.EcRoot).VerifiesOnPlatform(Parse(alteredEc)));
        Assert.False(KeyOf(Pki.EcRoot).Verifies(Parse(alteredEc)));
    }

    [Fact]
    public void The_same_key_verifies_from_several_threads_at_once()
    {
        SignatureKey key = KeyOf(Pki.Root);
        X509Certificate intermediate = Parse(Pki.Intermediate);

        bool[] results = new bool[64];
        System.Threading.Tasks.Parallel.For(0, results.Length, i => results[i] = key.Verifies(intermediate));

        Assert.All(results, Assert.True);
    }

    private static X509Certificate Parse(byte[] der) => new X509CertificateParser().ReadCertificate(der);

    private static SignatureKey KeyOf(byte[] certificate) =>
        SignatureKey.Decode(Parse(certificate).CertificateStructure.SubjectPublicKeyInfo)!;
}
