using SmimeAdmin.Core.Store;
using Xunit;

namespace SmimeAdmin.Core.Tests.Store;

public sealed class OrganizationNameTests
{
    [Theory]
    [InlineData("Default")]
    [InlineData("a")]
    [InlineData("7")]
    [InlineData("Contoso")]
    [InlineData("contoso.onmicrosoft.com")]
    [InlineData("fabrikam-eu_01")]
    [InlineData("A.B-C_D")]
    [InlineData("console")]
    [InlineData("com10")]
    [InlineData("example.con")]
    public void A_valid_name_is_returned_unchanged(string name)
    {
        Assert.Equal(name, OrganizationName.Validate(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("-contoso")]
    [InlineData("_contoso")]
    [InlineData("con toso")]
    [InlineData(" contoso")]
    [InlineData("contoso ")]
    [InlineData("contoso/fabrikam")]
    [InlineData("..\\contoso")]
    [InlineData("contoso:1")]
    [InlineData("contoso*")]
    [InlineData("contöso")]
    [InlineData("ëcontoso")]
    [InlineData("контосо")]
    [InlineData("contoso\u0000")]
    [InlineData("contoso.")]
    [InlineData("CON")]
    [InlineData("nul")]
    [InlineData("Com1.example.com")]
    [InlineData("LPT9")]
    public void An_invalid_name_is_rejected_and_the_exception_names_it(string? name)
    {
        SmimeOrganizationNameException exception = Assert.Throws<SmimeOrganizationNameException>(() => OrganizationName.Validate(name));

        Assert.Equal(name, exception.Name);
        Assert.Contains("'" + name + "'", exception.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_may_have_up_to_128_characters()
    {
        string longest = "c" + new string('0', 127);

        Assert.Equal(longest, OrganizationName.Validate(longest));
        Assert.Throws<SmimeOrganizationNameException>(() => OrganizationName.Validate(longest + "0"));
    }

    [Fact]
    public void The_default_organization_is_named_Default()
    {
        Assert.Equal("Default", OrganizationName.Default);
    }
}
