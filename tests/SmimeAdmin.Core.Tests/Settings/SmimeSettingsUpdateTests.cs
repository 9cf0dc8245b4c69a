using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Settings;
using Xunit;

namespace SmimeAdmin.Core.Tests.Settings;

public sealed class SmimeSettingsUpdateTests
{
    [Fact]
    public void Create_rejects_a_name_that_is_not_a_setting()
    {
        ArgumentException exception = Assert.Throws<ArgumentException>(
            () => Update(("OWAAlwaysSign", true), ("OWAAlwaysSing", true)));

        Assert.Equal("requested", exception.ParamName);
        Assert.Contains("OWAAlwaysSing", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_reports_the_first_invalid_value()
    {
        SmimeSettingValueException exception = Assert.Throws<SmimeSettingValueException>(
            () => Update(("OWAClearSign", false), ("OWABCCEncryptedEmailForking", 3), ("OWAEncryptionAlgorithms", "6611")));

        Assert.Equal("OWABCCEncryptedEmailForking", exception.SettingName);
    }

    [Fact]
    public void Create_rejects_null()
    {
        ArgumentNullException exception = Assert.Throws<ArgumentNullException>(() => SmimeSettingsUpdate.Create(null!));

        Assert.Equal("requested", exception.ParamName);
    }

    [Fact]
    public void Create_collects_the_warnings_about_weak_values()
    {
        SmimeSettingsUpdate update = Update(("OWASigningAlgorithms", "8003"), ("OWAEncryptionAlgorithms", "6601"));

        Assert.Equal(2, update.Warnings.Count);
        Assert.Contains("800C", update.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("6610", update.Warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public void IsEmpty_is_true_only_when_no_setting_is_named()
    {
        Assert.True(Update().IsEmpty);
        Assert.False(Update(("OWAClearSign", true)).IsEmpty);
    }

    [Fact]
    public void ApplyTo_returns_only_real_changes_with_old_and_new_values()
    {
        var settings = new SmimeSettings();
        SmimeSettingsUpdate update = Update(
            ("OWAAlwaysSign", true),
            ("OWAClearSign", true),
            ("OWADLExpansionTimeout", 60000),
            ("OWABCCEncryptedEmailForking", 2),
            ("OWAEncryptionAlgorithms", "6610"),
            ("OWASigningAlgorithms", "800c"));

        IReadOnlyList<SmimeSettingChange> changes = update.ApplyTo(settings);

        Assert.Collection(
            changes,
            change => AssertChange(change, "OWAAlwaysSign", false, true),
            change => AssertChange(change, "OWABCCEncryptedEmailForking", 0u, 2u),
            change => AssertChange(change, "OWASigningAlgorithms", "8004", "800C"));
        Assert.True(settings.OWAAlwaysSign);
        Assert.Equal(2u, settings.OWABCCEncryptedEmailForking);
        Assert.Equal("800C", settings.OWASigningAlgorithms);
    }

    [Fact]
    public void ApplyTo_uses_the_canonical_name_whatever_case_was_requested()
    {
        IReadOnlyList<SmimeSettingChange> changes = Update(("owaalwaysencrypt", true)).ApplyTo(new SmimeSettings());

        Assert.Equal("OWAAlwaysEncrypt", Assert.Single(changes).Name);
    }

    [Fact]
    public void ApplyTo_leaves_settings_that_are_not_named_alone()
    {
        SmimeSettings settings = ExchangeSmimeConfig.AllNonDefault();

        Update(("OWAAlwaysSign", false), ("OWACRLRetrievalTimeout", 5)).ApplyTo(settings);

        ExchangeSmimeConfig.AssertSameExcept(ExchangeSmimeConfig.AllNonDefault(), settings, "OWAAlwaysSign", "OWACRLRetrievalTimeout");
        Assert.False(settings.OWAAlwaysSign);
        Assert.Equal(5u, settings.OWACRLRetrievalTimeout);
    }

    [Fact]
    public void ApplyTo_with_a_null_string_restores_the_default()
    {
        var settings = new SmimeSettings { OWAEncryptionAlgorithms = "6603", OWASenderCertificateAttributesToDisplay = "2.5.4.3" };

        IReadOnlyList<SmimeSettingChange> changes =
            Update(("OWAEncryptionAlgorithms", null), ("OWASenderCertificateAttributesToDisplay", null)).ApplyTo(settings);

        Assert.Collection(
            changes,
            change => AssertChange(change, "OWAEncryptionAlgorithms", "6603", "6610"),
            change => AssertChange(change, "OWASenderCertificateAttributesToDisplay", "2.5.4.3", string.Empty));
    }

    [Fact]
    public void ApplyTo_of_an_empty_update_changes_nothing()
    {
        var settings = new SmimeSettings();

        Assert.Empty(Update().ApplyTo(settings));
        ExchangeSmimeConfig.AssertDefaults(settings);
    }

    [Fact]
    public void Preview_returns_the_changes_without_making_them()
    {
        var settings = new SmimeSettings();
        SmimeSettingsUpdate update = Update(("OWAAlwaysSign", true), ("OWACRLConnectionTimeout", 1000u), ("OWAClearSign", true));

        IReadOnlyList<SmimeSettingChange> changes = update.Preview(settings);

        Assert.Collection(
            changes,
            change => AssertChange(change, "OWAAlwaysSign", false, true),
            change => AssertChange(change, "OWACRLConnectionTimeout", 60000u, 1000u));
        ExchangeSmimeConfig.AssertDefaults(settings);
    }

    [Fact]
    public void ApplyTo_and_Preview_reject_null_settings()
    {
        SmimeSettingsUpdate update = Update(("OWAAlwaysSign", true));

        Assert.Equal("settings", Assert.Throws<ArgumentNullException>(() => update.ApplyTo(null!)).ParamName);
        Assert.Equal("settings", Assert.Throws<ArgumentNullException>(() => update.Preview(null!)).ParamName);
    }

    private static SmimeSettingsUpdate Update(params (string Name, object? Value)[] values) =>
        SmimeSettingsUpdate.Create(values.Select(value => new KeyValuePair<string, object?>(value.Name, value.Value)));

    private static void AssertChange(SmimeSettingChange change, string name, object oldValue, object newValue)
    {
        Assert.Equal(name, change.Name);
        Assert.Equal(oldValue, change.OldValue);
        Assert.Equal(newValue, change.NewValue);
    }
}
