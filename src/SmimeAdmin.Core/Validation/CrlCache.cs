using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace SmimeAdmin.Core.Validation;

/// <summary>
/// Keeps verified CRLs by distribution point until their nextUpdate, so validations in a row fetch each CRL once.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="SmimeCertificateValidator"/> adds a CRL only after checking its issuer and signature, and looks it up
/// again before every retrieval. A CRL without a nextUpdate, or whose nextUpdate has passed, is not kept. An entry
/// stops being used at its nextUpdate, judged by the cache's clock.
/// </para>
/// <para>
/// When <see cref="Capacity"/> entries are held, adding one drops the expired entries first and then, if needed,
/// the one due to expire soonest. The cache is safe to share between threads and between validators.
/// </para>
/// </remarks>
public sealed class CrlCache
{
    /// <summary>The capacity of a cache created without one: 1,000 CRLs.</summary>
    public const int DefaultCapacity = 1000;

    private readonly ConcurrentDictionary<string, CachedCrl> _entries = new(StringComparer.Ordinal);
    private readonly Func<DateTime> _utcNow;
    private readonly object _trimLock = new();

    /// <summary>Creates a cache on the system clock with <see cref="DefaultCapacity"/>.</summary>
    public CrlCache()
        : this(() => DateTime.UtcNow)
    {
    }

    /// <summary>Creates a cache with <see cref="DefaultCapacity"/> on a given clock.</summary>
    /// <param name="utcNow">Returns the current time in UTC (a local time is converted).</param>
    /// <exception cref="ArgumentNullException"><paramref name="utcNow"/> is <see langword="null"/>.</exception>
    public CrlCache(Func<DateTime> utcNow)
        : this(utcNow, DefaultCapacity)
    {
    }

    /// <summary>Creates a cache on a given clock with a given capacity.</summary>
    /// <param name="utcNow">Returns the current time in UTC (a local time is converted).</param>
    /// <param name="capacity">The most CRLs kept.</param>
    /// <exception cref="ArgumentNullException"><paramref name="utcNow"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is less than 1.</exception>
    public CrlCache(Func<DateTime> utcNow, int capacity)
    {
        _utcNow = utcNow ?? throw new ArgumentNullException(nameof(utcNow));
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity));
        }

        Capacity = capacity;
    }

    /// <summary>The most CRLs kept.</summary>
    public int Capacity { get; }

    /// <summary>The number of CRLs held, including any that expired since they were last looked up.</summary>
    public int Count => _entries.Count;

    /// <summary>Drops every CRL.</summary>
    public void Clear() => _entries.Clear();

    /// <summary>Drops the CRL of one distribution point.</summary>
    /// <param name="uri">The distribution point.</param>
    /// <returns>Whether a CRL was held for it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="uri"/> is <see langword="null"/>.</exception>
    public bool Remove(Uri uri) => _entries.TryRemove(Key(uri ?? throw new ArgumentNullException(nameof(uri))), out _);

    /// <summary>The CRL held for a distribution point, unless it is past its nextUpdate (it is then dropped).</summary>
    internal CachedCrl? Find(Uri uri)
    {
        string key = Key(uri);
        if (!_entries.TryGetValue(key, out CachedCrl? crl))
        {
            return null;
        }

        if (IsCurrent(crl, Now()))
        {
            return crl;
        }

        _entries.TryRemove(key, out _);
        return null;
    }

    /// <summary>Keeps a verified CRL, unless it has no nextUpdate or it has passed.</summary>
    internal void Add(Uri uri, CachedCrl crl)
    {
        DateTime now = Now();
        if (!IsCurrent(crl, now))
        {
            return;
        }

        string key = Key(uri);
        if (!_entries.ContainsKey(key) && _entries.Count >= Capacity)
        {
            Trim(now);
        }

        _entries[key] = crl;
    }

    private static string Key(Uri uri) => uri.AbsoluteUri;

    private static bool IsCurrent(CachedCrl crl, DateTime now) => crl.NextUpdate is DateTime next && now < next;

    private DateTime Now() => CertificateNode.ToUtc(_utcNow());

    private void Trim(DateTime now)
    {
        lock (_trimLock)
        {
            KeyValuePair<string, CachedCrl>? soonest = null;
            foreach (KeyValuePair<string, CachedCrl> entry in _entries)
            {
                if (!IsCurrent(entry.Value, now))
                {
                    _entries.TryRemove(entry.Key, out _);
                }
                else if (soonest is null || entry.Value.NextUpdate < soonest.Value.Value.NextUpdate)
                {
                    soonest = entry;
                }
            }

            if (_entries.Count >= Capacity && soonest is { } drop)
            {
                _entries.TryRemove(drop.Key, out _);
            }
        }
    }
}
