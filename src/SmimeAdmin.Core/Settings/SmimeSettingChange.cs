namespace SmimeAdmin.Core.Settings;

/// <summary>One setting's value before and after a change.</summary>
public sealed class SmimeSettingChange
{
    /// <summary>Creates a change record.</summary>
    public SmimeSettingChange(string name, object? oldValue, object? newValue)
    {
        Name = name;
        OldValue = oldValue;
        NewValue = newValue;
    }

    /// <summary>The setting's name.</summary>
    public string Name { get; }

    /// <summary>The value before the change.</summary>
    public object? OldValue { get; }

    /// <summary>The value after the change.</summary>
    public object? NewValue { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        Name + ": " + SmimeSetting.FormatValue(OldValue) + " -> " + SmimeSetting.FormatValue(NewValue);
}
