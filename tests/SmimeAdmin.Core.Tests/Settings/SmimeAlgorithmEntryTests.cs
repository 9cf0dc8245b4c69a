using SmimeAdmin.Core.Settings;
using Xunit;

namespace SmimeAdmin.Core.Tests.Settings;

public sealed class SmimeAlgorithmEntryTests
{
    [Theory]
    [InlineData("6601", "1.3.14.3.2.7", 56, true)]
    [InlineData("6603", "1.2.840.113549.3.7", 168, true)]
    [InlineData("6602", "1.2.840.113549.3.2", 128, true)]
    [InlineData("6602:40", "1.2.840.113549.3.2", 40, true)]
    [InlineData("6602:56", "1.2.840.113549.3.2", 56, true)]
    [InlineData("6602:64", "1.2.840.113549.3.2", 64, true)]
    [InlineData("6602:128", "1.2.840.113549.3.2", 128, false)]
    [InlineData("660E", "2.16.840.1.101.3.4.1.2", 128, false)]
    [InlineData("660F", "2.16.840.1.101.3.4.1.22", 192, false)]
    [InlineData("6610", "2.16.840.1.101.3.4.1.42", 256, false)]
    [InlineData("6610:256", "2.16.840.1.101.3.4.1.42", 256, false)]
    public void Encryption_entries_have_the_expected_oid_key_length_and_strength(string text, string oid, int keyLength, bool weak) =>
        AssertEntry(text, SmimeAlgorithmPurpose.Encryption, oid, keyLength, weak);

    [Theory]
    [InlineData("8003", "1.2.840.113549.2.5", 128, true)]
    [InlineData("8004", "1.3.14.3.2.26", 160, true)]
    [InlineData("800C", "2.16.840.1.101.3.4.2.1", 256, false)]
    [InlineData("800D", "2.16.840.1.101.3.4.2.2", 384, false)]
    [InlineData("800E", "2.16.840.1.101.3.4.2.3", 512, false)]
    public void Signing_entries_have_the_expected_oid_digest_size_and_strength(string text, string oid, int digestBits, bool weak) =>
        AssertEntry(text, SmimeAlgorithmPurpose.Signing, oid, digestBits, weak);

    [Theory]
    [InlineData("6601,1.2.3.4", SmimeAlgorithmPurpose.Encryption)]
    [InlineData("6602,1.2.3.4", SmimeAlgorithmPurpose.Encryption)]
    [InlineData("6603,1.2.3.4", SmimeAlgorithmPurpose.Encryption)]
    [InlineData("8003,1.2.3.4", SmimeAlgorithmPurpose.Signing)]
    [InlineData("8004,1.2.3.4", SmimeAlgorithmPurpose.Signing)]
    public void An_entry_with_a_custom_oid_uses_that_oid_and_is_never_weak(string text, SmimeAlgorithmPurpose purpose)
    {
        SmimeAlgorithmEntry entry = Single(text, purpose);

        Assert.Equal("1.2.3.4", entry.CustomOid);
        Assert.Equal("1.2.3.4", entry.Oid);
        Assert.Null(entry.KeyLength);
        Assert.False(entry.IsWeak);
    }

    [Fact]
    public void KeyLength_is_null_when_the_entry_gives_none()
    {
        SmimeAlgorithmEntry entry = Single("6610", SmimeAlgorithmPurpose.Encryption);

        Assert.Null(entry.KeyLength);
        Assert.Null(entry.CustomOid);
        Assert.Equal(0x6610, entry.Algorithm.AlgorithmId);
    }

    [Theory]
    [InlineData("6602 : 64", "6602:64")]
    [InlineData("6603 , 1.2.840.113549.3.7", "6603,1.2.840.113549.3.7")]
    [InlineData("660f", "660F")]
    public void ToString_is_the_canonical_text(string text, string expected)
    {
        Assert.Equal(expected, Single(text, SmimeAlgorithmPurpose.Encryption).ToString());
    }

    private static void AssertEntry(string text, SmimeAlgorithmPurpose purpose, string oid, int keyLength, bool weak)
    {
        SmimeAlgorithmEntry entry = Single(text, purpose);

        Assert.Equal(oid, entry.Oid);
        Assert.Equal(keyLength, entry.EffectiveKeyLength);
        Assert.Equal(weak, entry.IsWeak);
    }

    private static SmimeAlgorithmEntry Single(string text, SmimeAlgorithmPurpose purpose) =>
        Assert.Single(SmimeAlgorithmList.Parse(text, purpose));
}
