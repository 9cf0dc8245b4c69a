using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Baselines;
using SmimeAdmin.Core.Tests.Certificates;
using Xunit;
using static SmimeAdmin.Core.Tests.Baselines.BaselineStore;

namespace SmimeAdmin.Core.Tests.Baselines;

public sealed class SmimeRecommendedBaselineTests : IDisposable
{
    private static readonly DateTime s_now = new(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);

    private readonly BaselineStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Exchange_defaults_fall_short_on_sha1_signing_and_the_missing_collection()
    {
        IReadOnlyList<SmimeBaselineDifference> findings = Evaluate(s_now);

        Assert.Equal("OWASigningAlgorithms, SMIMECertificateIssuingCA", string.Join(", ", findings.Select(f => f.Setting)));
        Assert.Equal("8004", findings[0].Actual);
        Assert.Contains("8004", findings[0].Explanation, StringComparison.Ordinal);
        Assert.All(findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Explanation)));
    }

    [Fact]
    public void A_hardened_organization_complies()
    {
        Harden();

        Assert.Empty(Evaluate(s_now));
    }

    [Fact]
    public void Each_weakness_is_its_own_finding()
    {
        Harden();
        _store.Set(
            Contoso,
            ("OWAEncryptionAlgorithms", "660E;6603;6610"),
            ("OWASigningAlgorithms", "800C;8003"),
            ("OWADisableCRLCheck", true),
            ("OWAEncryptTemporaryBuffers", false));

        IReadOnlyList<SmimeBaselineDifference> findings = Evaluate(s_now);

        Assert.Equal(
            "OWADisableCRLCheck, OWAEncryptTemporaryBuffers, OWAEncryptionAlgorithms, OWAEncryptionAlgorithms, OWASigningAlgorithms",
            string.Join(", ", findings.Select(f => f.Setting)));
        Assert.Equal((object?)false, findings[0].Expected);
        Assert.Equal((object?)true, findings[0].Actual);
        Assert.Contains("6603", findings[3].Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("660E", findings[3].Explanation, StringComparison.Ordinal);
        Assert.Contains("8003", findings[4].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Soon_expiring_and_expired_cas_are_named_one_by_one()
    {
        Harden();

        IReadOnlyList<SmimeBaselineDifference> soon = Evaluate(TestPki.NotAfter.AddDays(-10));
        Assert.Equal(2, soon.Count);
        Assert.All(soon, f => Assert.Equal("SMIMECertificateIssuingCA", f.Setting));
        Assert.Contains(Thumbprint(Ca.Root), (string)soon[0].Actual!, StringComparison.Ordinal);
        Assert.Contains("10 days", soon[0].Explanation, StringComparison.Ordinal);

        Assert.Empty(SmimeRecommendedBaseline.Evaluate(_store.Store.ReadConfig(Contoso), TestPki.NotAfter.AddDays(-10), TimeSpan.FromDays(5)));

        IReadOnlyList<SmimeBaselineDifference> expired = Evaluate(TestPki.NotAfter.AddDays(1));
        Assert.Equal(2, expired.Count);
        Assert.All(expired, f => Assert.Contains("expired", (string)f.Expected!, StringComparison.Ordinal));
    }

    private void Harden()
    {
        _store.Set(Contoso, ("OWASigningAlgorithms", "800E;800C"), ("OWAEncryptionAlgorithms", "6610;660E"));
        _store.SetCollection(Contoso, Ca.Root, Ca.Intermediate);
    }

    private IReadOnlyList<SmimeBaselineDifference> Evaluate(DateTime nowUtc) =>
        SmimeRecommendedBaseline.Evaluate(_store.Store.ReadConfig(Contoso), nowUtc);
}
