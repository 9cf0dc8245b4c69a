using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Settings;
using Xunit;

namespace SmimeAdmin.Core.Tests.Settings;

public sealed class SmimeAlgorithmListTests
{
    private const SmimeAlgorithmPurpose Encryption = SmimeAlgorithmPurpose.Encryption;
    private const SmimeAlgorithmPurpose Signing = SmimeAlgorithmPurpose.Signing;

    [Theory]
    [InlineData("6602:128", Encryption, "6602:128")]
    [InlineData("6603;6602:128;6602:64;6601;6602:56", Encryption, "6603;6602:128;6602:64;6601;6602:56")]
    [InlineData("800E;8004;8003", Signing, "800E;8004;8003")]
    [InlineData("6603,1.2.3.4", Encryption, "6603,1.2.3.4")]
    [InlineData("6610", Encryption, "6610")]
    [InlineData("8004", Signing, "8004")]
    [InlineData("660e", Encryption, "660E")]
    [InlineData("800c;800d", Signing, "800C;800D")]
    [InlineData(" 6610 ; 660e ;6602 : 40 ", Encryption, "6610;660E;6602:40")]
    [InlineData("\t6603 , 1.2.3.4\t;6610", Encryption, "6603,1.2.3.4;6610")]
    public void A_valid_list_parses_and_normalizes_to_upper_case_without_blanks(string text, SmimeAlgorithmPurpose purpose, string expected)
    {
        Assert.True(SmimeAlgorithmList.TryParse(text, purpose, out IReadOnlyList<SmimeAlgorithmEntry> entries, out string? error));
        Assert.Null(error);
        Assert.Equal(expected, SmimeAlgorithmList.Format(entries));
        Assert.Equal(expected, SmimeAlgorithmList.Format(SmimeAlgorithmList.Parse(text, purpose)));
    }

    [Fact]
    public void Entries_keep_the_order_of_preference_with_their_key_lengths()
    {
        IReadOnlyList<SmimeAlgorithmEntry> entries = SmimeAlgorithmList.Parse("6603;6602:128;6602:64;6601;6602:56", Encryption);

        Assert.Equal(
            [(0x6603, null), (0x6602, 128), (0x6602, 64), (0x6601, null), (0x6602, 56)],
            entries.Select(entry => (entry.Algorithm.AlgorithmId, entry.KeyLength)).ToArray());
    }

    [Theory]
    [InlineData("", Encryption)]
    [InlineData("   ", Encryption)]
    [InlineData("", Signing)]
    public void An_empty_list_is_rejected(string text, SmimeAlgorithmPurpose purpose)
    {
        Assert.False(SmimeAlgorithmList.TryParse(text, purpose, out IReadOnlyList<SmimeAlgorithmEntry> entries, out string? error));
        Assert.Empty(entries);
        Assert.Contains("empty", error, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<FormatException>(() => SmimeAlgorithmList.Parse(text, purpose));
    }

    // The message names the offending entry (as typed, trimmed) and says why it is rejected.
    [Theory]
    [InlineData(";;", Encryption, "", "empty")]
    [InlineData("6610;", Encryption, "", "empty")]
    [InlineData(";6610", Encryption, "", "empty")]
    [InlineData("66101", Encryption, "66101", "hexadecimal")]
    [InlineData("661", Encryption, "661", "hexadecimal")]
    [InlineData("XYZ1", Encryption, "XYZ1", "hexadecimal")]
    [InlineData("6610;XYZ1", Encryption, "XYZ1", "hexadecimal")]
    [InlineData("6611", Encryption, "6611", "not one Exchange documents")]
    [InlineData("8804", Signing, "8804", "not one Exchange documents")]
    [InlineData("8004", Encryption, "8004", "digest")]
    [InlineData("6610;800C", Encryption, "800C", "digest")]
    [InlineData("6610", Signing, "6610", "not a signing")]
    [InlineData("800C;6603", Signing, "6603", "not a signing")]
    [InlineData("6602:100", Encryption, "6602:100", "key length")]
    [InlineData("6602:", Encryption, "6602:", "key length")]
    [InlineData("6602:-40", Encryption, "6602:-40", "key length")]
    [InlineData("6610:128", Encryption, "6610:128", "key length")]
    [InlineData("8004:256", Signing, "8004:256", "key length")]
    [InlineData("6602:128,1.2.3", Encryption, "6602:128,1.2.3", "not both")]
    [InlineData("6603,abc", Encryption, "6603,abc", "OID")]
    [InlineData("6603,3.1", Encryption, "6603,3.1", "OID")]
    [InlineData("6603,", Encryption, "6603,", "OID")]
    [InlineData("6610;6610", Encryption, "6610", "twice")]
    [InlineData("660E;660e", Encryption, "660e", "twice")]
    [InlineData("6602:64;6601;6602:64", Encryption, "6602:64", "twice")]
    [InlineData("800C;800c", Signing, "800c", "twice")]
    public void An_invalid_list_fails_with_a_message_naming_the_bad_entry(
        string text, SmimeAlgorithmPurpose purpose, string badEntry, string reason)
    {
        Assert.False(SmimeAlgorithmList.TryParse(text, purpose, out _, out string? error));
        Assert.Contains("'" + badEntry + "'", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);

        FormatException exception = Assert.Throws<FormatException>(() => SmimeAlgorithmList.Parse(text, purpose));
        Assert.Equal(error, exception.Message);
    }

    [Fact]
    public void TryParse_rejects_null_text()
    {
        ArgumentNullException exception = Assert.Throws<ArgumentNullException>(
            () => SmimeAlgorithmList.TryParse(null!, Encryption, out _, out _));

        Assert.Equal("text", exception.ParamName);
    }

    [Theory]
    [InlineData(null, Encryption, "6610")]
    [InlineData("", Encryption, "6610")]
    [InlineData("  ", Encryption, "6610")]
    [InlineData("6611", Encryption, "6610")]
    [InlineData("8004", Encryption, "6610")]
    [InlineData("6610;;660E", Encryption, "6610")]
    [InlineData(null, Signing, "8004")]
    [InlineData("800C:128", Signing, "8004")]
    [InlineData("6610", Signing, "8004")]
    public void ParseOrDefault_falls_back_to_Exchanges_default_for_a_missing_or_malformed_list(
        string? text, SmimeAlgorithmPurpose purpose, string expected)
    {
        Assert.Equal(expected, SmimeAlgorithmList.Format(SmimeAlgorithmList.ParseOrDefault(text, purpose)));
    }

    [Theory]
    [InlineData("660e;6602:128", Encryption, "660E;6602:128")]
    [InlineData("800E;800D", Signing, "800E;800D")]
    public void ParseOrDefault_returns_a_valid_list_as_given(string text, SmimeAlgorithmPurpose purpose, string expected)
    {
        Assert.Equal(expected, SmimeAlgorithmList.Format(SmimeAlgorithmList.ParseOrDefault(text, purpose)));
    }

    [Theory]
    [InlineData(Encryption, "6610")]
    [InlineData(Signing, "8004")]
    public void The_default_lists_are_Exchanges(SmimeAlgorithmPurpose purpose, string expected)
    {
        Assert.Equal(expected, SmimeAlgorithmList.DefaultFor(purpose));
    }

    [Fact]
    public void The_default_constants_are_Exchanges()
    {
        Assert.Equal("6610", SmimeAlgorithmList.DefaultEncryption);
        Assert.Equal("8004", SmimeAlgorithmList.DefaultSigning);
    }

    [Fact]
    public void Format_of_no_entries_is_empty()
    {
        Assert.Equal(string.Empty, SmimeAlgorithmList.Format(Array.Empty<SmimeAlgorithmEntry>()));
    }

    [Theory]
    [InlineData(Encryption, new[] { "6601", "6602", "6603", "660E", "660F", "6610" }, new[] { "8003", "8004", "800C" }, "'6610'")]
    [InlineData(Signing, new[] { "8003", "8004", "800C", "800D", "800E" }, new[] { "6601", "6610" }, "'8004'")]
    public void DescribeAcceptedForms_names_every_id_of_the_purpose_and_the_default(
        SmimeAlgorithmPurpose purpose, string[] included, string[] excluded, string quotedDefault)
    {
        string description = SmimeAlgorithmList.DescribeAcceptedForms(purpose);

        Assert.All(included, id => Assert.Contains(id, description, StringComparison.Ordinal));
        Assert.All(excluded, id => Assert.DoesNotContain(id, description, StringComparison.Ordinal));
        Assert.Contains(quotedDefault, description, StringComparison.Ordinal);
    }

    [Fact]
    public void DescribeAcceptedForms_lists_RC2s_key_lengths()
    {
        Assert.Contains("40, 56, 64, 128", SmimeAlgorithmList.DescribeAcceptedForms(Encryption), StringComparison.Ordinal);
    }
}
