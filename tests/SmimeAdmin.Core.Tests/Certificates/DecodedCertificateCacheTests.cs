using SmimeAdmin.Core.Certificates;
using Xunit;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Tests.Certificates;

public sealed class DecodedCertificateCacheTests
{
    private static TestPki Pki => TestPki.Instance;

    [Fact]
    public void Arrays_with_the_same_bytes_share_one_decoding()
    {
        BcX509Certificate first = CertificateDer.Parse((byte[])Pki.Intermediate.Clone(), 0);

        Assert.Same(first, CertificateDer.Parse((byte[])Pki.Intermediate.Clone(), 0));
    }

    [Fact]
    public void An_array_changed_after_it_was_decoded_is_decoded_again()
    {
        byte[] der = (byte[])Pki.Root.Clone();
        BcX509Certificate before = CertificateDer.Parse(der, 0);
        der[der.Length - 1] ^= 0x01;

        BcX509Certificate after = CertificateDer.Parse(der, 0);

        Assert.NotEqual(before.GetSignature(), after.GetSignature());
        Assert.Same(before, CertificateDer.Parse((byte[])Pki.Root.Clone(), 0));
    }

    [Fact]
    public void The_oldest_decoding_makes_room_for_a_new_one_once_the_cache_is_full()
    {
        var cache = new DecodedCertificateCache(capacity: 2);
        BcX509Certificate certificate = CertificateDer.Parse(Pki.Root, 0);
        byte[] first = { 1 }, second = { 2 }, third = { 3 };
        cache.Add(first, certificate);
        cache.Add(second, certificate);
        cache.Add(third, certificate);

        Assert.False(cache.TryGet(new byte[] { 1 }, out _));
        Assert.True(cache.TryGet(new byte[] { 2 }, out _));
        Assert.True(cache.TryGet(new byte[] { 3 }, out BcX509Certificate found));
        Assert.Same(certificate, found);
    }
}
