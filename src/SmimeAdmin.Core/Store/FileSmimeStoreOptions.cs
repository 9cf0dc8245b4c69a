using System;

namespace SmimeAdmin.Core.Store;

/// <summary>Tunables of <see cref="FileSmimeStore"/>.</summary>
public sealed class FileSmimeStoreOptions
{
    /// <summary>The default wait for another writer's lock.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a writer waits for another writer's lock before failing.</summary>
    public TimeSpan LockTimeout { get; set; } = DefaultLockTimeout;

    /// <summary>The clock that stamps changes (replaceable in tests).</summary>
    public Func<DateTime> UtcNow { get; set; } = () => DateTime.UtcNow;
}
