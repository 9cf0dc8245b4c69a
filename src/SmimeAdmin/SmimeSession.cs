using System;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin;

/// <summary>
/// The store and organization a runspace works with: what Connect-SmimeStore chose, else the store named by
/// <c>$env:SMIMEADMIN_STORE</c>, else the per-user default folder.
/// </summary>
internal sealed class SmimeSession
{
    internal const string SourceConnected = "Connect-SmimeStore";
    internal const string SourceEnvironment = "$env:" + SmimeStoreLocation.EnvironmentVariable;
    internal const string SourceDefault = "Default";

    private static readonly ConditionalWeakTable<Runspace, SmimeSession> s_connected = new();

    private SmimeSession(ISmimeStore store, string organization, string source)
    {
        Store = store;
        Organization = organization;
        Source = source;
    }

    public ISmimeStore Store { get; }

    public string Organization { get; }

    public string Source { get; }

    /// <summary>The session of the calling runspace. Without a connection the environment is read afresh.</summary>
    public static SmimeSession Current()
    {
        Runspace? runspace = Runspace.DefaultRunspace;
        if (runspace is not null && s_connected.TryGetValue(runspace, out SmimeSession? connected))
        {
            return connected;
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(SmimeStoreLocation.EnvironmentVariable);
        return string.IsNullOrEmpty(fromEnvironment)
            ? new SmimeSession(new FileSmimeStore(SmimeStoreLocation.DefaultFolder(Environment.GetEnvironmentVariable)), OrganizationName.Default, SourceDefault)
            : new SmimeSession(new FileSmimeStore(fromEnvironment!), OrganizationName.Default, SourceEnvironment);
    }

    /// <summary>Makes <paramref name="store"/> the calling runspace's store.</summary>
    public static SmimeSession Connect(ISmimeStore store, string organization)
    {
        var session = new SmimeSession(store, organization, SourceConnected);
        Runspace? runspace = Runspace.DefaultRunspace;
        if (runspace is not null)
        {
            s_connected.Remove(runspace);
            s_connected.Add(runspace, session);
        }

        return session;
    }
}
