using System;
using System.Linq;
using SmimeAdmin.Core.Settings;
using Xunit;

namespace SmimeAdmin.Core.Tests.Settings;

public sealed class SmimeSettingsTests
{
    [Theory]
    [MemberData(nameof(ExchangeSmimeConfig.Settings), MemberType = typeof(ExchangeSmimeConfig))]
    public void A_new_object_holds_Exchanges_default(string name, Type type, object expected)
    {
        object actual = ExchangeSmimeConfig.Get(new SmimeSettings(), name);

        Assert.IsType(type, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Its_public_properties_are_exactly_Exchanges_settings()
    {
        string[] properties = typeof(SmimeSettings).GetProperties().Select(property => property.Name).ToArray();

        Assert.Equal(ExchangeSmimeConfig.Names.OrderBy(name => name, StringComparer.Ordinal), properties.OrderBy(name => name, StringComparer.Ordinal));
    }

    [Fact]
    public void Clone_copies_every_value()
    {
        SmimeSettings original = ExchangeSmimeConfig.AllNonDefault();

        SmimeSettings clone = original.Clone();

        Assert.NotSame(original, clone);
        ExchangeSmimeConfig.AssertSameExcept(ExchangeSmimeConfig.AllNonDefault(), clone);
    }

    [Fact]
    public void Changing_a_clone_leaves_the_original_alone()
    {
        var original = new SmimeSettings();

        SmimeSettings clone = original.Clone();
        foreach (string name in ExchangeSmimeConfig.Names)
        {
            ExchangeSmimeConfig.Set(clone, name, ExchangeSmimeConfig.NonDefault(name));
        }

        ExchangeSmimeConfig.AssertDefaults(original);
    }

    [Fact]
    public void Changing_the_original_leaves_a_clone_alone()
    {
        var original = new SmimeSettings();
        SmimeSettings clone = original.Clone();

        foreach (string name in ExchangeSmimeConfig.Names)
        {
            ExchangeSmimeConfig.Set(original, name, ExchangeSmimeConfig.NonDefault(name));
        }

        ExchangeSmimeConfig.AssertDefaults(clone);
    }
}
