using System;
using System.Collections.Generic;
using System.Globalization;

namespace SmimeAdmin.Core.Settings;

/// <summary>
/// A validated set of new values for some settings. Only the settings it names are touched, as with Exchange's
/// Set-SmimeConfig, where unbound parameters keep their stored values.
/// </summary>
public sealed class SmimeSettingsUpdate
{
    private readonly List<KeyValuePair<SmimeSetting, object>> _values;

    private SmimeSettingsUpdate(List<KeyValuePair<SmimeSetting, object>> values, IReadOnlyList<string> warnings)
    {
        _values = values;
        Warnings = warnings;
    }

    /// <summary>Warnings about weak but accepted values.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Whether the update names no setting at all.</summary>
    public bool IsEmpty => _values.Count == 0;

    /// <summary>Validates and normalizes requested values.</summary>
    /// <param name="requested">Setting names (case-insensitive) and raw values.</param>
    /// <exception cref="SmimeSettingValueException">A value is invalid; the first one found is reported.</exception>
    /// <exception cref="ArgumentException">A name is not a setting.</exception>
    public static SmimeSettingsUpdate Create(IEnumerable<KeyValuePair<string, object?>> requested)
    {
        if (requested is null)
        {
            throw new ArgumentNullException(nameof(requested));
        }

        var warnings = new List<string>();
        var values = new List<KeyValuePair<SmimeSetting, object>>();
        foreach (KeyValuePair<string, object?> pair in requested)
        {
            SmimeSetting setting = SmimeSetting.Find(pair.Key)
                ?? throw new ArgumentException(
                    string.Format(CultureInfo.CurrentCulture, Strings.SettingUnknown, pair.Key),
                    nameof(requested));
            values.Add(new KeyValuePair<SmimeSetting, object>(setting, SmimeSettingValidator.Normalize(setting, pair.Value, warnings)));
        }

        return new SmimeSettingsUpdate(values, warnings);
    }

    /// <summary>Writes the new values into <paramref name="settings"/> and returns what actually changed.</summary>
    public IReadOnlyList<SmimeSettingChange> ApplyTo(SmimeSettings settings)
    {
        if (settings is null)
        {
            throw new ArgumentNullException(nameof(settings));
        }

        var changes = new List<SmimeSettingChange>();
        foreach (KeyValuePair<SmimeSetting, object> pair in _values)
        {
            object current = pair.Key.GetValue(settings);
            if (!Equals(current, pair.Value))
            {
                pair.Key.SetValue(settings, pair.Value);
                changes.Add(new SmimeSettingChange(pair.Key.Name, current, pair.Value));
            }
        }

        return changes;
    }

    /// <summary>Returns what <see cref="ApplyTo"/> would change, leaving <paramref name="settings"/> as it is.</summary>
    public IReadOnlyList<SmimeSettingChange> Preview(SmimeSettings settings) =>
        ApplyTo((settings ?? throw new ArgumentNullException(nameof(settings))).Clone());
}
