using System.Globalization;

namespace SmimeAdmin.Core.Settings;

/// <summary>
/// One entry of an OWAEncryptionAlgorithms / OWASigningAlgorithms list: an algorithm id, optionally with a key
/// length (<c>id:keylength</c>) or a replacement OID for a third-party provider (<c>id,OID</c>).
/// </summary>
public sealed class SmimeAlgorithmEntry
{
    internal SmimeAlgorithmEntry(SmimeAlgorithm algorithm, int? keyLength, string? customOid)
    {
        Algorithm = algorithm;
        KeyLength = keyLength;
        CustomOid = customOid;
    }

    /// <summary>The algorithm the id names.</summary>
    public SmimeAlgorithm Algorithm { get; }

    /// <summary>The key length given with <c>:keylength</c>, or <see langword="null"/>.</summary>
    public int? KeyLength { get; }

    /// <summary>The OID given with <c>,OID</c>, or <see langword="null"/>.</summary>
    public string? CustomOid { get; }

    /// <summary>The key length (digest size) in effect: the given one, else the algorithm's default.</summary>
    public int EffectiveKeyLength => KeyLength ?? Algorithm.DefaultKeyLength;

    /// <summary>The OID in effect: the custom one, else the algorithm's own.</summary>
    public string Oid => CustomOid ?? Algorithm.Oid;

    /// <summary>
    /// Whether the entry is a weak choice: DES, 3DES, MD5, SHA-1, or RC2 below 128 bits or without a length.
    /// An entry with a custom OID names another provider's algorithm and is not judged.
    /// </summary>
    public bool IsWeak => CustomOid is null
        && (Algorithm.IsWeak || (Algorithm.AlgorithmId == 0x6602 && (KeyLength is null || KeyLength < 128)));

    /// <summary>The canonical text: upper-case id, then <c>:length</c> or <c>,OID</c>.</summary>
    public override string ToString()
    {
        if (KeyLength is int length)
        {
            return Algorithm.Id + ":" + length.ToString(CultureInfo.InvariantCulture);
        }

        return CustomOid is null ? Algorithm.Id : Algorithm.Id + "," + CustomOid;
    }
}
