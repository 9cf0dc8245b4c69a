using System;

namespace SmimeAdmin;

/// <summary>One property change from the audit log, as Get-SmimeAuditLog returns it.</summary>
public sealed class SmimeAuditEntry
{
    internal SmimeAuditEntry(
        DateTime timeUtc,
        string organization,
        string user,
        string host,
        string command,
        string property,
        string oldValue,
        string newValue)
    {
        TimeUtc = timeUtc;
        Organization = organization;
        User = user;
        Host = host;
        Command = command;
        Property = property;
        OldValue = oldValue;
        NewValue = newValue;
    }

    /// <summary>When the change was saved (UTC).</summary>
    public DateTime TimeUtc { get; }

    /// <summary>When the change was saved (local time).</summary>
    public DateTime Time => TimeUtc.ToLocalTime();

    /// <summary>The organization changed.</summary>
    public string Organization { get; }

    /// <summary>Who made the change.</summary>
    public string User { get; }

    /// <summary>The machine the change was made from.</summary>
    public string Host { get; }

    /// <summary>The cmdlet that made the change.</summary>
    public string Command { get; }

    /// <summary>The property changed.</summary>
    public string Property { get; }

    /// <summary>The value before the change.</summary>
    public string OldValue { get; }

    /// <summary>The value after the change.</summary>
    public string NewValue { get; }
}
