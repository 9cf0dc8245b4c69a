using SmimeAdmin.Core.Settings;
using Xunit;

namespace SmimeAdmin.Core.Tests.Settings;

public sealed class ObjectIdentifierTests
{
    private const string ThirtyNineDigits = "123456789012345678901234567890123456789";
    private const string FortyDigits = ThirtyNineDigits + "0";

    [Theory]
    [InlineData("0.0")]
    [InlineData("1.39")]
    [InlineData("0.39.1")]
    [InlineData("2.5.4.3")]
    [InlineData("2.999")]
    [InlineData("2.40.0")]
    [InlineData("1.2.840.113549.3.7")]
    [InlineData("2.16.840.1.101.3.4.1.42")]
    [InlineData("0.9.2342.19200300.100.1.1")]
    [InlineData("1.3.6.1.4.1.311.0")]
    [InlineData("2.5." + ThirtyNineDigits)]
    [InlineData("2." + ThirtyNineDigits)]
    public void A_dotted_decimal_oid_is_valid(string text)
    {
        Assert.True(ObjectIdentifier.IsValid(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("2")]
    [InlineData("3.1")]
    [InlineData("9.1")]
    [InlineData("1.40")]
    [InlineData("0.40")]
    [InlineData("1.99")]
    [InlineData("1.123")]
    [InlineData("1.99999999999999999999")]
    [InlineData("01.2")]
    [InlineData("1.02")]
    [InlineData("1.2.03")]
    [InlineData("2.5.00")]
    [InlineData("1.2.")]
    [InlineData(".1.2")]
    [InlineData("1..2")]
    [InlineData(".")]
    [InlineData("1.2.a")]
    [InlineData("1.2.-3")]
    [InlineData("1.2.+3")]
    [InlineData(" 1.2")]
    [InlineData("1.2 ")]
    [InlineData("1,2")]
    [InlineData("1.2,2.5")]
    [InlineData("\uFF11.\uFF12")]
    [InlineData("1.\u0662")]
    [InlineData("2.5." + FortyDigits)]
    [InlineData("2." + FortyDigits)]
    public void Anything_else_is_not_a_valid_oid(string? text)
    {
        Assert.False(ObjectIdentifier.IsValid(text));
    }

    [Theory]
    [InlineData("2.5.4.3", new[] { "2.5.4.3" })]
    [InlineData("2.5.4.3,2.5.4.10", new[] { "2.5.4.3", "2.5.4.10" })]
    [InlineData("2.5.4.3;2.5.4.10", new[] { "2.5.4.3", "2.5.4.10" })]
    [InlineData("2.5.4.3 2.5.4.10", new[] { "2.5.4.3", "2.5.4.10" })]
    [InlineData(" 2.5.4.3 ,\t2.5.4.10;;\r\n2.5.4.11, ", new[] { "2.5.4.3", "2.5.4.10", "2.5.4.11" })]
    [InlineData("a.b,3.1", new[] { "a.b", "3.1" })]
    [InlineData("", new string[0])]
    [InlineData(" ,; \t", new string[0])]
    public void SplitList_splits_at_commas_semicolons_and_white_space_and_drops_empty_items(string text, string[] expected)
    {
        Assert.Equal(expected, ObjectIdentifier.SplitList(text));
    }
}
