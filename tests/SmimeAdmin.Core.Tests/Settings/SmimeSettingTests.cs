using System;
using System.Globalization;
using System.Linq;
using SmimeAdmin.Core.Settings;
using Xunit;

namespace SmimeAdmin.Core.Tests.Settings;

public sealed class SmimeSettingTests
{
    [Fact]
    public void All_lists_the_25_settings_in_Exchange_declaration_order()
    {
        Assert.Equal(ExchangeSmimeConfig.Names, SmimeSetting.All.Select(setting => setting.Name));
    }

    [Fact]
    public void All_ends_with_NoSignOnReply()
    {
        Assert.Equal("NoSignOnReply", SmimeSetting.All[SmimeSetting.All.Count - 1].Name);
    }

    [Theory]
    [MemberData(nameof(ExchangeSmimeConfig.Settings), MemberType = typeof(ExchangeSmimeConfig))]
    public void Each_setting_has_Exchanges_type_and_default(string name, Type type, object expected)
    {
        SmimeSetting setting = SmimeSetting.Find(name)!;

        Assert.Equal(type, setting.ValueType);
        Assert.Equal(expected, setting.DefaultValue);
    }

    [Theory]
    [InlineData("OWACheckCRLOnSend", SmimeSettingKind.Boolean)]
    [InlineData("NoSignOnReply", SmimeSettingKind.Boolean)]
    [InlineData("OWADLExpansionTimeout", SmimeSettingKind.WholeNumber)]
    [InlineData("OWABCCEncryptedEmailForking", SmimeSettingKind.WholeNumber)]
    [InlineData("OWAEncryptionAlgorithms", SmimeSettingKind.EncryptionAlgorithmList)]
    [InlineData("OWASigningAlgorithms", SmimeSettingKind.SigningAlgorithmList)]
    [InlineData("OWASenderCertificateAttributesToDisplay", SmimeSettingKind.OidList)]
    public void Each_setting_has_the_kind_its_values_need(string name, SmimeSettingKind expected)
    {
        Assert.Equal(expected, SmimeSetting.Find(name)!.Kind);
    }

    [Theory]
    [InlineData("OWABCCEncryptedEmailForking", 2u)]
    [InlineData("OWADLExpansionTimeout", uint.MaxValue)]
    [InlineData("OWACRLConnectionTimeout", uint.MaxValue)]
    [InlineData("OWACRLRetrievalTimeout", uint.MaxValue)]
    public void Whole_number_settings_allow_Exchanges_documented_maximum(string name, uint expected)
    {
        Assert.Equal(expected, SmimeSetting.Find(name)!.Maximum);
    }

    [Theory]
    [InlineData("owaclearsign")]
    [InlineData("OWACLEARSIGN")]
    [InlineData("OwaClearSign")]
    public void Find_ignores_case_and_returns_the_canonical_name(string name)
    {
        SmimeSetting? setting = SmimeSetting.Find(name);

        Assert.NotNull(setting);
        Assert.Equal("OWAClearSign", setting.Name);
        Assert.Same(SmimeSetting.Find("OWAClearSign"), setting);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Identity")]
    [InlineData("OWAClearSign ")]
    [InlineData("OWAClear")]
    [InlineData("SMIMECertificateIssuingCA")]
    public void Find_returns_null_for_a_name_that_is_not_a_setting(string name)
    {
        Assert.Null(SmimeSetting.Find(name));
    }

    [Fact]
    public void GetValue_and_SetValue_reach_the_named_property()
    {
        SmimeSetting setting = SmimeSetting.Find("OWACRLRetrievalTimeout")!;
        var settings = new SmimeSettings();

        setting.SetValue(settings, 1234u);

        Assert.Equal(1234u, settings.OWACRLRetrievalTimeout);
        Assert.Equal(1234u, setting.GetValue(settings));
    }

    [Fact]
    public void ToString_is_the_name()
    {
        Assert.Equal("OWAAlwaysSign", SmimeSetting.Find("owaalwayssign")!.ToString());
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData(true, "True")]
    [InlineData(false, "False")]
    [InlineData(60000u, "60000")]
    [InlineData(uint.MaxValue, "4294967295")]
    [InlineData(-5, "-5")]
    [InlineData(1234567.5, "1234567.5")]
    [InlineData("6603;6602:128", "6603;6602:128")]
    public void FormatValue_uses_the_invariant_culture_whatever_the_current_one(object? value, string expected)
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            // Each of these cultures writes decimal numbers differently from the invariant culture.
            foreach (string culture in new[] { "de-DE", "fr-FR", "ar-SA" })
            {
                CultureInfo.CurrentCulture = new CultureInfo(culture);
                Assert.Equal(expected, SmimeSetting.FormatValue(value));
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void FormatValue_formats_a_date_in_the_invariant_culture()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var time = new DateTime(2024, 3, 1, 8, 30, 0, DateTimeKind.Utc);

            Assert.Equal(time.ToString(CultureInfo.InvariantCulture), SmimeSetting.FormatValue(time));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
