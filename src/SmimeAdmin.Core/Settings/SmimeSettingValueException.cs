using System;
using System.Globalization;

namespace SmimeAdmin.Core.Settings;

/// <summary>A value given for a setting is not one the setting accepts.</summary>
public sealed class SmimeSettingValueException : SmimeAdminException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="settingName">The setting (parameter) name.</param>
    /// <param name="value">The offending value.</param>
    /// <param name="reason">Why the value is rejected.</param>
    /// <param name="acceptedValues">What the setting accepts.</param>
    public SmimeSettingValueException(string settingName, object? value, string reason, string acceptedValues)
        : base(string.Format(
            CultureInfo.CurrentCulture,
            Strings.SettingValueInvalid,
            settingName,
            SmimeSetting.FormatValue(value),
            reason,
            acceptedValues))
    {
        SettingName = settingName;
        Value = value;
        Reason = reason;
        AcceptedValues = acceptedValues;
    }

    /// <summary>The setting (parameter) name.</summary>
    public string SettingName { get; }

    /// <summary>The offending value.</summary>
    public object? Value { get; }

    /// <summary>Why the value is rejected.</summary>
    public string Reason { get; }

    /// <summary>What the setting accepts.</summary>
    public string AcceptedValues { get; }
}
