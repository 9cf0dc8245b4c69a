using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Certificates;

/// <summary>
/// The certificates decoded last, found by their bytes. The set is bounded and held strongly: a weak table with an
/// entry per array (as long as the array lives) made every garbage collection of a bulk publish several times slower.
/// </summary>
internal sealed class DecodedCertificateCache
{
    private readonly int _capacity;
    private readonly Dictionary<byte[], BcX509Certificate> _byContent = new(ContentComparer.Instance);
    private readonly Queue<byte[]> _oldestFirst = new();

    public DecodedCertificateCache(int capacity) => _capacity = capacity;

    public bool TryGet(byte[] der, out BcX509Certificate certificate)
    {
        lock (_byContent)
        {
            return _byContent.TryGetValue(der, out certificate!);
        }
    }

    /// <summary>Keeps what <paramref name="der"/> was decoded to, under a copy of the bytes, so a caller's change to its array changes nothing here.</summary>
    public void Add(byte[] der, BcX509Certificate certificate)
    {
        byte[] key = (byte[])der.Clone();
        lock (_byContent)
        {
            if (_byContent.ContainsKey(key))
            {
                return;
            }

            if (_oldestFirst.Count == _capacity)
            {
                _byContent.Remove(_oldestFirst.Dequeue());
            }

            _byContent.Add(key, certificate);
            _oldestFirst.Enqueue(key);
        }
    }

    private sealed class ContentComparer : IEqualityComparer<byte[]>
    {
        public static readonly ContentComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        // FNV-1a over the bytes, four at a time.
        public int GetHashCode(byte[] value)
        {
            uint hash = 2166136261;
            ReadOnlySpan<byte> bytes = value;
            foreach (uint word in MemoryMarshal.Cast<byte, uint>(bytes))
            {
                hash = (hash ^ word) * 16777619;
            }

            for (int i = bytes.Length & ~3; i < bytes.Length; i++)
            {
                hash = (hash ^ bytes[i]) * 16777619;
            }

            return (int)hash;
        }
    }
}
