using System;
using SmimeAdmin.Core.Store;
using Xunit;

namespace SmimeAdmin.Core.Tests.Store;

public sealed class RecipientAddressTests
{
    [Theory]
    [InlineData("alice@contoso.com", "alice@contoso.com")]
    [InlineData("Alice.Smith+news@Mail.Contoso.co.uk", "Alice.Smith+news@Mail.Contoso.co.uk")]
    [InlineData("o'brien_{x}~!#$%&=^`@x-1.io", "o'brien_{x}~!#$%&=^`@x-1.io")]
    [InlineData("SMTP:alice@contoso.com", "alice@contoso.com")]
    [InlineData("smtp:Bob@Contoso.com", "Bob@Contoso.com")]
    [InlineData("nul@contoso.com", "nul@contoso.com")]
    [InlineData("con-x.y@contoso.com", "con-x.y@contoso.com")]
    public void Accepted_addresses_come_back_without_an_smtp_prefix(string address, string expected)
    {
        Assert.Equal(expected, RecipientAddress.Validate(address));
    }

    [Fact]
    public void The_length_limits_are_inclusive()
    {
        string local64 = new('a', 64);
        string domain = new string('d', 63) + "." + new string('e', 63) + "." + new string('f', 200 - 64 - 1 - 128);

        Assert.Equal(200, (local64 + "@" + domain).Length);
        Assert.Equal(local64 + "@" + domain, RecipientAddress.Validate(local64 + "@" + domain));
        Assert.Throws<SmimeRecipientAddressException>(() => RecipientAddress.Validate(local64 + "a@contoso.com"));
        Assert.Throws<SmimeRecipientAddressException>(() => RecipientAddress.Validate(local64 + "@" + domain + "g"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("smtp:")]
    [InlineData("@contoso.com")]
    [InlineData("alice@")]
    [InlineData("alice@contoso")]
    [InlineData(".alice@contoso.com")]
    [InlineData("alice.@contoso.com")]
    [InlineData("al..ice@contoso.com")]
    [InlineData("al ice@contoso.com")]
    [InlineData("\"alice\"@contoso.com")]
    [InlineData("al/ice@contoso.com")]
    [InlineData("al\\ice@contoso.com")]
    [InlineData("al|ice@contoso.com")]
    [InlineData("al?ice@contoso.com")]
    [InlineData("al*ice@contoso.com")]
    [InlineData("al:ice@contoso.com")]
    [InlineData("../../etc/passwd@contoso.com")]
    [InlineData("alice@contoso.com/../x")]
    [InlineData("alïce@contoso.com")]
    [InlineData("alice@contoso..com")]
    [InlineData("alice@-contoso.com")]
    [InlineData("alice@contoso-.com")]
    [InlineData("alice@contoso_x.com")]
    [InlineData("alice@[192.0.2.1]")]
    [InlineData("alice@bob@contoso.com")]
    [InlineData("con.x@contoso.com")]
    [InlineData("LPT1.y@contoso.com")]
    public void Other_texts_are_refused_with_the_address_and_the_rule(string? address)
    {
        SmimeRecipientAddressException error = Assert.Throws<SmimeRecipientAddressException>(() => RecipientAddress.Validate(address));

        Assert.Equal(address, error.Address);
        Assert.False(string.IsNullOrEmpty(error.Problem));
        Assert.Contains(error.Problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_names_are_the_address_in_lower_case_and_only_those_are_safe()
    {
        Assert.Equal("alice.smith@contoso.com.json", RecipientAddress.FileName("Alice.Smith@Contoso.COM"));
        Assert.True(RecipientAddress.IsFileName("alice.smith@contoso.com.json"));
        Assert.False(RecipientAddress.IsFileName("Alice@contoso.com.json"));
        Assert.False(RecipientAddress.IsFileName("alice@contoso.com"));
        Assert.False(RecipientAddress.IsFileName("../alice@contoso.com.json"));
        Assert.False(RecipientAddress.IsFileName("smtp:alice@contoso.com.json"));
        Assert.False(RecipientAddress.IsFileName(null));
    }

    [Fact]
    public void Addresses_compare_without_regard_to_case()
    {
        Assert.True(RecipientAddress.AreSame("Alice@Contoso.com", "alice@CONTOSO.COM"));
        Assert.False(RecipientAddress.AreSame("alice@contoso.com", "alice@contoso.org"));
    }
}
