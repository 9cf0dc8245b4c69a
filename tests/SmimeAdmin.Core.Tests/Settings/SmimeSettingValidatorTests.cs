using System;
using System.Collections.Generic;
using SmimeAdmin.Core.Settings;
using Xunit;

namespace SmimeAdmin.Core.Tests.Settings;

public sealed class SmimeSettingValidatorTests
{
    [Theory]
    [InlineData("OWAAlwaysSign", true)]
    [InlineData("OWAAlwaysSign", false)]
    [InlineData("NoSignOnReply", false)]
    public void A_Boolean_setting_accepts_a_Boolean(string name, bool value)
    {
        Assert.Equal(value, Accept(name, value));
    }

    [Theory]
    [InlineData("OWAAlwaysSign", "true")]
    [InlineData("OWAAlwaysSign", "$true")]
    [InlineData("OWAAlwaysSign", 1)]
    [InlineData("OWAAlwaysSign", 0u)]
    [InlineData("NoSignOnReply", null)]
    public void A_Boolean_setting_rejects_anything_else(string name, object? value)
    {
        Reject(name, value);
    }

    [Theory]
    [InlineData("OWABCCEncryptedEmailForking", 0, 0u)]
    [InlineData("OWABCCEncryptedEmailForking", 2, 2u)]
    [InlineData("OWABCCEncryptedEmailForking", 2u, 2u)]
    [InlineData("OWABCCEncryptedEmailForking", 2L, 2u)]
    [InlineData("OWADLExpansionTimeout", 0, 0u)]
    [InlineData("OWADLExpansionTimeout", int.MaxValue, 2147483647u)]
    [InlineData("OWADLExpansionTimeout", uint.MaxValue, uint.MaxValue)]
    [InlineData("OWACRLConnectionTimeout", 4294967295L, uint.MaxValue)]
    [InlineData("OWACRLRetrievalTimeout", 30000u, 30000u)]
    public void A_whole_number_setting_accepts_int_long_and_uint_in_range_and_stores_a_uint(string name, object value, uint expected)
    {
        object result = Accept(name, value);

        Assert.IsType<uint>(result);
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("OWABCCEncryptedEmailForking", 3)]
    [InlineData("OWABCCEncryptedEmailForking", 3u)]
    [InlineData("OWABCCEncryptedEmailForking", 3L)]
    [InlineData("OWABCCEncryptedEmailForking", -1)]
    [InlineData("OWADLExpansionTimeout", -1)]
    [InlineData("OWADLExpansionTimeout", -1L)]
    [InlineData("OWACRLConnectionTimeout", int.MinValue)]
    [InlineData("OWACRLRetrievalTimeout", 4294967296L)]
    [InlineData("OWACRLRetrievalTimeout", long.MaxValue)]
    public void A_whole_number_setting_rejects_negative_numbers_and_numbers_above_its_maximum(string name, object value)
    {
        Reject(name, value);
    }

    [Theory]
    [InlineData("OWADLExpansionTimeout", "5")]
    [InlineData("OWADLExpansionTimeout", 5.0)]
    [InlineData("OWADLExpansionTimeout", true)]
    [InlineData("OWABCCEncryptedEmailForking", null)]
    public void A_whole_number_setting_rejects_values_that_are_not_whole_numbers(string name, object? value)
    {
        Reject(name, value);
    }

    [Theory]
    [InlineData("OWAEncryptionAlgorithms", null, "6610")]
    [InlineData("OWAEncryptionAlgorithms", "", "6610")]
    [InlineData("OWAEncryptionAlgorithms", " \t ", "6610")]
    [InlineData("OWASigningAlgorithms", null, "8004")]
    [InlineData("OWASigningAlgorithms", "  ", "8004")]
    [InlineData("OWASenderCertificateAttributesToDisplay", null, "")]
    [InlineData("OWASenderCertificateAttributesToDisplay", " ", "")]
    public void A_null_or_blank_string_means_the_default(string name, string? value, string expected)
    {
        var warnings = new List<string>();

        Assert.Equal(expected, SmimeSettingValidator.Normalize(SmimeSetting.Find(name)!, value, warnings));
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("OWAEncryptionAlgorithms", " 660e ; 6610 ;6602 : 128", "660E;6610;6602:128")]
    [InlineData("OWAEncryptionAlgorithms", "6610 , 1.2.3.4", "6610,1.2.3.4")]
    [InlineData("OWASigningAlgorithms", "800c;800E", "800C;800E")]
    public void An_algorithm_list_is_stored_normalized(string name, string value, string expected)
    {
        Assert.Equal(expected, Accept(name, value));
    }

    [Theory]
    [InlineData("OWAEncryptionAlgorithms", "6611")]
    [InlineData("OWAEncryptionAlgorithms", "8004")]
    [InlineData("OWAEncryptionAlgorithms", "6610;")]
    [InlineData("OWAEncryptionAlgorithms", 6610)]
    [InlineData("OWASigningAlgorithms", "6610")]
    [InlineData("OWASigningAlgorithms", "800C:128")]
    public void An_algorithm_setting_rejects_a_malformed_list_or_a_value_that_is_not_a_string(string name, object value)
    {
        Reject(name, value);
    }

    [Theory]
    [InlineData("OWAEncryptionAlgorithms", "6601", "6601", "6610")]
    [InlineData("OWAEncryptionAlgorithms", "6603", "6603", "6610")]
    [InlineData("OWAEncryptionAlgorithms", "6602", "6602", "6610")]
    [InlineData("OWAEncryptionAlgorithms", "6602:40", "6602:40", "6610")]
    [InlineData("OWAEncryptionAlgorithms", "6602:64", "6602:64", "6610")]
    [InlineData("OWASigningAlgorithms", "8004", "8004", "800C")]
    [InlineData("OWASigningAlgorithms", "8003", "8003", "800C")]
    public void A_weak_choice_is_accepted_with_a_warning_naming_a_stronger_choice(
        string name, string value, string weakEntry, string stronger)
    {
        var warnings = new List<string>();

        object result = SmimeSettingValidator.Normalize(SmimeSetting.Find(name)!, value, warnings);

        Assert.Equal(value, result);
        string warning = Assert.Single(warnings);
        Assert.Contains(name, warning, StringComparison.Ordinal);
        Assert.Contains("'" + weakEntry + "'", warning, StringComparison.Ordinal);
        Assert.Contains(stronger, warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_weak_entry_of_a_list_gets_its_own_warning()
    {
        var warnings = new List<string>();

        SmimeSettingValidator.Normalize(SmimeSetting.Find("OWAEncryptionAlgorithms")!, "6603;6610;6601", warnings);

        Assert.Collection(
            warnings,
            warning => Assert.Contains("'6603'", warning, StringComparison.Ordinal),
            warning => Assert.Contains("'6601'", warning, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("OWAEncryptionAlgorithms", "6610;660F;660E;6602:128")]
    [InlineData("OWAEncryptionAlgorithms", "6601,1.2.3.4")]
    [InlineData("OWASigningAlgorithms", "800C;800D;800E")]
    [InlineData("OWASigningAlgorithms", "8004,1.2.3.4")]
    public void A_strong_or_custom_choice_gives_no_warning(string name, string value)
    {
        var warnings = new List<string>();

        SmimeSettingValidator.Normalize(SmimeSetting.Find(name)!, value, warnings);

        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("2.5.4.3 2.5.4.10", "2.5.4.3,2.5.4.10")]
    [InlineData("2.5.4.3;2.5.4.10", "2.5.4.3,2.5.4.10")]
    [InlineData("2.5.4.3, 2.5.4.10", "2.5.4.3,2.5.4.10")]
    [InlineData(" 2.5.4.3\t2.5.4.10\r\n", "2.5.4.3,2.5.4.10")]
    [InlineData("2.5.4.3", "2.5.4.3")]
    [InlineData("2.5.4.3,2.5.4.3", "2.5.4.3")]
    public void An_oid_list_is_stored_comma_separated(string value, string expected)
    {
        Assert.Equal(expected, Accept("OWASenderCertificateAttributesToDisplay", value));
    }

    [Theory]
    [InlineData("2.5.4.3,abc", "abc")]
    [InlineData("2.5.4.3 3.1", "3.1")]
    [InlineData("2.5.4.03", "2.5.4.03")]
    public void An_oid_list_with_a_bad_oid_is_rejected_naming_it(string value, string badOid)
    {
        SmimeSettingValueException exception = Reject("OWASenderCertificateAttributesToDisplay", value);

        Assert.Contains("'" + badOid + "'", exception.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oid_list_setting_rejects_a_value_that_is_not_a_string()
    {
        Reject("OWASenderCertificateAttributesToDisplay", 42);
    }

    [Theory]
    [InlineData("OWABCCEncryptedEmailForking", 3, "'3'")]
    [InlineData("OWAAlwaysSign", "yes", "'yes'")]
    [InlineData("OWAEncryptionAlgorithms", "6611", "'6611'")]
    [InlineData("OWASenderCertificateAttributesToDisplay", "x.y", "'x.y'")]
    public void The_exception_carries_the_setting_the_value_and_what_is_accepted(string name, object value, string quotedValue)
    {
        SmimeSetting setting = SmimeSetting.Find(name)!;

        SmimeSettingValueException exception = Reject(name, value);

        Assert.Equal(name, exception.SettingName);
        Assert.Equal(value, exception.Value);
        Assert.Equal(SmimeSettingValidator.DescribeAcceptedValues(setting), exception.AcceptedValues);
        Assert.False(string.IsNullOrWhiteSpace(exception.Reason));
        Assert.Contains(name, exception.Message, StringComparison.Ordinal);
        Assert.Contains(quotedValue, exception.Message, StringComparison.Ordinal);
        Assert.Contains(exception.AcceptedValues, exception.Message, StringComparison.Ordinal);
        Assert.Contains(exception.Reason, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OWABCCEncryptedEmailForking", new[] { "0", "2" })]
    [InlineData("OWADLExpansionTimeout", new[] { "0", "4294967295" })]
    [InlineData("OWAAlwaysSign", new[] { "$true", "$false" })]
    [InlineData("OWAEncryptionAlgorithms", new[] { "6601", "6602", "6603", "660E", "660F", "6610" })]
    [InlineData("OWASigningAlgorithms", new[] { "8003", "8004", "800C", "800D", "800E" })]
    [InlineData("OWASenderCertificateAttributesToDisplay", new[] { "object identifier" })]
    public void DescribeAcceptedValues_states_the_accepted_range(string name, string[] fragments)
    {
        string description = SmimeSettingValidator.DescribeAcceptedValues(SmimeSetting.Find(name)!);

        Assert.All(fragments, fragment => Assert.Contains(fragment, description, StringComparison.Ordinal));
    }

    [Fact]
    public void Normalize_rejects_a_null_setting()
    {
        ArgumentNullException exception = Assert.Throws<ArgumentNullException>(
            () => SmimeSettingValidator.Normalize(null!, true, new List<string>()));

        Assert.Equal("setting", exception.ParamName);
    }

    [Fact]
    public void Normalize_rejects_a_null_warnings_collection()
    {
        ArgumentNullException exception = Assert.Throws<ArgumentNullException>(
            () => SmimeSettingValidator.Normalize(SmimeSetting.Find("OWAAlwaysSign")!, true, null!));

        Assert.Equal("warnings", exception.ParamName);
    }

    [Fact]
    public void DescribeAcceptedValues_rejects_a_null_setting()
    {
        ArgumentNullException exception = Assert.Throws<ArgumentNullException>(
            () => SmimeSettingValidator.DescribeAcceptedValues(null!));

        Assert.Equal("setting", exception.ParamName);
    }

    private static object Accept(string name, object? value) =>
        SmimeSettingValidator.Normalize(SmimeSetting.Find(name)!, value, new List<string>());

    private static SmimeSettingValueException Reject(string name, object? value)
    {
        SmimeSettingValueException exception = Assert.Throws<SmimeSettingValueException>(() => Accept(name, value));
        Assert.Equal(name, exception.SettingName);
        return exception;
    }
}
