using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SmimeAdmin.Core.Settings;

/// <summary>
/// Validates and normalizes values for settings. Exchange stores its string settings unchecked and lets Outlook on
/// the web fall back to defaults; SmimeAdmin rejects malformed values up front instead, so what is stored is what is
/// used.
/// </summary>
public static class SmimeSettingValidator
{
    /// <summary>Checks a value for a setting and returns it in stored form.</summary>
    /// <param name="setting">The setting.</param>
    /// <param name="value">The value; for string settings <see langword="null"/> or blank means the default.</param>
    /// <param name="warnings">Receives a warning for each weak but accepted choice.</param>
    /// <returns>The normalized value, of <see cref="SmimeSetting.ValueType"/>.</returns>
    /// <exception cref="SmimeSettingValueException">The value is not accepted.</exception>
    public static object Normalize(SmimeSetting setting, object? value, ICollection<string> warnings)
    {
        if (setting is null)
        {
            throw new ArgumentNullException(nameof(setting));
        }

        if (warnings is null)
        {
            throw new ArgumentNullException(nameof(warnings));
        }

        return setting.Kind switch
        {
            SmimeSettingKind.Boolean => NormalizeBoolean(setting, value),
            SmimeSettingKind.WholeNumber => NormalizeNumber(setting, value),
            SmimeSettingKind.EncryptionAlgorithmList => NormalizeAlgorithms(setting, value, SmimeAlgorithmPurpose.Encryption, warnings),
            SmimeSettingKind.SigningAlgorithmList => NormalizeAlgorithms(setting, value, SmimeAlgorithmPurpose.Signing, warnings),
            SmimeSettingKind.OidList => NormalizeOids(setting, value),
            _ => throw new ArgumentOutOfRangeException(nameof(setting), setting.Kind, null),
        };
    }

    /// <summary>Describes what a setting accepts, for error messages and help.</summary>
    public static string DescribeAcceptedValues(SmimeSetting setting)
    {
        if (setting is null)
        {
            throw new ArgumentNullException(nameof(setting));
        }

        return setting.Kind switch
        {
            SmimeSettingKind.Boolean => Strings.AcceptedBoolean,
            SmimeSettingKind.WholeNumber => string.Format(CultureInfo.CurrentCulture, Strings.AcceptedRange, 0, setting.Maximum),
            SmimeSettingKind.EncryptionAlgorithmList => SmimeAlgorithmList.DescribeAcceptedForms(SmimeAlgorithmPurpose.Encryption),
            SmimeSettingKind.SigningAlgorithmList => SmimeAlgorithmList.DescribeAcceptedForms(SmimeAlgorithmPurpose.Signing),
            SmimeSettingKind.OidList => Strings.AcceptedOidList,
            _ => throw new ArgumentOutOfRangeException(nameof(setting), setting.Kind, null),
        };
    }

    private static bool NormalizeBoolean(SmimeSetting setting, object? value) =>
        value is bool flag ? flag : throw Invalid(setting, value, Strings.ReasonNotBoolean);

    private static uint NormalizeNumber(SmimeSetting setting, object? value)
    {
        long number;
        switch (value)
        {
            case uint u: number = u; break;
            case int i: number = i; break;
            case long l: number = l; break;
            case ushort us: number = us; break;
            case short s: number = s; break;
            case byte b: number = b; break;
            default: throw Invalid(setting, value, Strings.ReasonNotWholeNumber);
        }

        if (number < 0 || number > setting.Maximum)
        {
            throw Invalid(setting, value, Strings.ReasonOutOfRange);
        }

        return (uint)number;
    }

    private static string NormalizeAlgorithms(
        SmimeSetting setting,
        object? value,
        SmimeAlgorithmPurpose purpose,
        ICollection<string> warnings)
    {
        string? text = AsText(setting, value);
        if (string.IsNullOrWhiteSpace(text))
        {
            return SmimeAlgorithmList.DefaultFor(purpose);
        }

        if (!SmimeAlgorithmList.TryParse(text!, purpose, out IReadOnlyList<SmimeAlgorithmEntry> entries, out string? error))
        {
            throw Invalid(setting, value, error!);
        }

        SmimeAlgorithm stronger = SmimeAlgorithm.StrongAlternative(purpose);
        foreach (SmimeAlgorithmEntry weak in entries.Where(entry => entry.IsWeak))
        {
            warnings.Add(string.Format(
                CultureInfo.CurrentCulture,
                Strings.WeakAlgorithmWarning,
                setting.Name,
                weak,
                weak.Algorithm.DisplayName,
                weak.EffectiveKeyLength,
                stronger));
        }

        return SmimeAlgorithmList.Format(entries);
    }

    private static string NormalizeOids(SmimeSetting setting, object? value)
    {
        string? text = AsText(setting, value);
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        IReadOnlyList<string> oids = ObjectIdentifier.SplitList(text!);
        foreach (string oid in oids)
        {
            if (!ObjectIdentifier.IsValid(oid))
            {
                throw Invalid(setting, value, string.Format(CultureInfo.CurrentCulture, Strings.ReasonNotOid, oid));
            }
        }

        return string.Join(",", oids.Distinct(StringComparer.Ordinal));
    }

    private static string? AsText(SmimeSetting setting, object? value) => value switch
    {
        null => null,
        string text => text,
        _ => throw Invalid(setting, value, Strings.ReasonNotText),
    };

    private static SmimeSettingValueException Invalid(SmimeSetting setting, object? value, string reason) =>
        new(setting.Name, value, reason, DescribeAcceptedValues(setting));
}
