namespace SmimeAdmin.Core.Store;

/// <summary>Who makes a change and through which command, for the audit log.</summary>
public sealed class SmimeAuditContext
{
    /// <summary>Creates the context.</summary>
    public SmimeAuditContext(string user, string host, string command)
    {
        User = user;
        Host = host;
        Command = command;
    }

    /// <summary>The account making the change.</summary>
    public string User { get; }

    /// <summary>The machine the change is made from.</summary>
    public string Host { get; }

    /// <summary>The command (cmdlet) making the change.</summary>
    public string Command { get; }
}
