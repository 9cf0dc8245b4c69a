using System;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.X509;
using SmimeAdmin.Core.Validation;
using Xunit;

namespace SmimeAdmin.Core.Tests.Validation;

public sealed class CrlCacheTests
{
    private static readonly Uri s_first = new("http://crl.contoso.test/first.crl");
    private static readonly Uri s_second = new("http://crl.contoso.test/second.crl");
    private static readonly Uri s_third = new("http://crl.contoso.test/third.crl");

    private readonly TestClock _clock = new();

    [Fact]
    public void A_crl_is_kept_until_its_next_update()
    {
        var cache = new CrlCache(_clock.UtcNow);
        CachedCrl crl = Crl(TimeSpan.FromHours(1));

        cache.Add(s_first, crl);
        _clock.Now = ValidationPki.Now.AddMinutes(59);

        Assert.Same(crl, cache.Find(s_first));
        Assert.Null(cache.Find(s_second));

        _clock.Now = ValidationPki.Now.AddHours(1);

        Assert.Null(cache.Find(s_first));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void A_crl_without_a_next_update_or_past_it_is_not_kept()
    {
        var cache = new CrlCache(_clock.UtcNow);

        cache.Add(s_first, CrlWithoutNextUpdate());
        cache.Add(s_second, Crl(TimeSpan.FromHours(-1)));

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void When_full_the_crl_due_soonest_makes_room()
    {
        var cache = new CrlCache(_clock.UtcNow, capacity: 2);
        cache.Add(s_first, Crl(TimeSpan.FromHours(3)));
        cache.Add(s_second, Crl(TimeSpan.FromHours(1)));

        cache.Add(s_third, Crl(TimeSpan.FromHours(2)));

        Assert.Equal(2, cache.Count);
        Assert.NotNull(cache.Find(s_first));
        Assert.Null(cache.Find(s_second));
        Assert.NotNull(cache.Find(s_third));
    }

    [Fact]
    public void Entries_can_be_removed_one_by_one_or_all_at_once()
    {
        var cache = new CrlCache(_clock.UtcNow);
        cache.Add(s_first, Crl(TimeSpan.FromHours(1)));
        cache.Add(s_second, Crl(TimeSpan.FromHours(1)));

        Assert.True(cache.Remove(s_first));
        Assert.False(cache.Remove(s_first));
        Assert.Equal(1, cache.Count);

        cache.Clear();

        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Equal("utcNow", Assert.Throws<ArgumentNullException>(() => new CrlCache(null!)).ParamName);
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => new CrlCache(_clock.UtcNow, 0)).ParamName);
        Assert.Equal("uri", Assert.Throws<ArgumentNullException>(() => new CrlCache().Remove(null!)).ParamName);
        Assert.Equal(CrlCache.DefaultCapacity, new CrlCache().Capacity);
    }

    private static CachedCrl Crl(TimeSpan validFor) => CachedCrl.Parse(ValidationPki.Intermediate.Crl(ValidationPki.Now, validFor));

    private static CachedCrl CrlWithoutNextUpdate()
    {
        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(new X509Name(ValidationPki.IntermediateName));
        generator.SetThisUpdate(ValidationPki.Now);
        return CachedCrl.Parse(generator.Generate(new Asn1SignatureFactory("SHA256WITHRSA", ValidationKeys.Intermediate.Private)).GetEncoded());
    }
}
