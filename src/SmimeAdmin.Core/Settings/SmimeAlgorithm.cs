using System;
using System.Collections.Generic;
using System.Globalization;

namespace SmimeAdmin.Core.Settings;

/// <summary>What an algorithm id is used for.</summary>
public enum SmimeAlgorithmPurpose
{
    /// <summary>Content encryption (OWAEncryptionAlgorithms).</summary>
    Encryption,

    /// <summary>Signing digest (OWASigningAlgorithms).</summary>
    Signing,
}

/// <summary>
/// One algorithm of Exchange's lists, identified by its CryptoAPI ALG_ID, with its standard object identifiers.
/// </summary>
public sealed class SmimeAlgorithm
{
    private SmimeAlgorithm(
        int algorithmId,
        string capiName,
        string displayName,
        SmimeAlgorithmPurpose purpose,
        string oid,
        int[] keyLengths,
        bool isWeak,
        string? rsaSignatureOid = null,
        string? ecdsaSignatureOid = null)
    {
        AlgorithmId = algorithmId;
        CapiName = capiName;
        DisplayName = displayName;
        Purpose = purpose;
        Oid = oid;
        KeyLengths = keyLengths;
        IsWeak = isWeak;
        RsaSignatureOid = rsaSignatureOid;
        EcdsaSignatureOid = ecdsaSignatureOid;
    }

    /// <summary>The CryptoAPI ALG_ID, e.g. 0x6610.</summary>
    public int AlgorithmId { get; }

    /// <summary>The ALG_ID as Exchange writes it: four upper-case hex digits.</summary>
    public string Id => AlgorithmId.ToString("X4", CultureInfo.InvariantCulture);

    /// <summary>The CryptoAPI constant name, e.g. CALG_AES_256.</summary>
    public string CapiName { get; }

    /// <summary>A readable name, e.g. AES-256-CBC.</summary>
    public string DisplayName { get; }

    /// <summary>Whether this is a content-encryption or a digest algorithm.</summary>
    public SmimeAlgorithmPurpose Purpose { get; }

    /// <summary>The algorithm's object identifier (the cipher or the digest).</summary>
    public string Oid { get; }

    /// <summary>
    /// The key lengths (digest sizes for digests) that may follow the id as ":length"; the first is the one used
    /// when none is given.
    /// </summary>
    public IReadOnlyList<int> KeyLengths { get; }

    /// <summary>The key length (or digest size) used when the entry gives none.</summary>
    public int DefaultKeyLength => KeyLengths[0];

    /// <summary>RSA PKCS#1 v1.5 signature OID for a digest; <see langword="null"/> for ciphers.</summary>
    public string? RsaSignatureOid { get; }

    /// <summary>ECDSA signature OID for a digest; <see langword="null"/> where none is defined.</summary>
    public string? EcdsaSignatureOid { get; }

    /// <summary>Whether the algorithm is weak at every key length (DES, 3DES, MD5, SHA-1).</summary>
    public bool IsWeak { get; }

    /// <summary>The algorithms Exchange documents, encryption first.</summary>
    public static IReadOnlyList<SmimeAlgorithm> All { get; } = new[]
    {
        new SmimeAlgorithm(0x6601, "CALG_DES", "DES-CBC", SmimeAlgorithmPurpose.Encryption, "1.3.14.3.2.7", new[] { 56 }, isWeak: true),
        // 128 first: RC2 with no length is taken at its strongest documented length, and still warned about.
        new SmimeAlgorithm(0x6602, "CALG_RC2", "RC2-CBC", SmimeAlgorithmPurpose.Encryption, "1.2.840.113549.3.2", new[] { 128, 40, 56, 64 }, isWeak: false),
        new SmimeAlgorithm(0x6603, "CALG_3DES", "DES-EDE3-CBC", SmimeAlgorithmPurpose.Encryption, "1.2.840.113549.3.7", new[] { 168 }, isWeak: true),
        new SmimeAlgorithm(0x660E, "CALG_AES_128", "AES-128-CBC", SmimeAlgorithmPurpose.Encryption, "2.16.840.1.101.3.4.1.2", new[] { 128 }, isWeak: false),
        new SmimeAlgorithm(0x660F, "CALG_AES_192", "AES-192-CBC", SmimeAlgorithmPurpose.Encryption, "2.16.840.1.101.3.4.1.22", new[] { 192 }, isWeak: false),
        new SmimeAlgorithm(0x6610, "CALG_AES_256", "AES-256-CBC", SmimeAlgorithmPurpose.Encryption, "2.16.840.1.101.3.4.1.42", new[] { 256 }, isWeak: false),
        new SmimeAlgorithm(0x8003, "CALG_MD5", "MD5", SmimeAlgorithmPurpose.Signing, "1.2.840.113549.2.5", new[] { 128 }, isWeak: true, "1.2.840.113549.1.1.4"),
        new SmimeAlgorithm(0x8004, "CALG_SHA1", "SHA-1", SmimeAlgorithmPurpose.Signing, "1.3.14.3.2.26", new[] { 160 }, isWeak: true, "1.2.840.113549.1.1.5", "1.2.840.10045.4.1"),
        new SmimeAlgorithm(0x800C, "CALG_SHA_256", "SHA-256", SmimeAlgorithmPurpose.Signing, "2.16.840.1.101.3.4.2.1", new[] { 256 }, isWeak: false, "1.2.840.113549.1.1.11", "1.2.840.10045.4.3.2"),
        new SmimeAlgorithm(0x800D, "CALG_SHA_384", "SHA-384", SmimeAlgorithmPurpose.Signing, "2.16.840.1.101.3.4.2.2", new[] { 384 }, isWeak: false, "1.2.840.113549.1.1.12", "1.2.840.10045.4.3.3"),
        new SmimeAlgorithm(0x800E, "CALG_SHA_512", "SHA-512", SmimeAlgorithmPurpose.Signing, "2.16.840.1.101.3.4.2.3", new[] { 512 }, isWeak: false, "1.2.840.113549.1.1.13", "1.2.840.10045.4.3.4"),
    };

    /// <summary>The algorithm recommended in place of a weak one of the same purpose.</summary>
    public static SmimeAlgorithm StrongAlternative(SmimeAlgorithmPurpose purpose) =>
        FindById(purpose == SmimeAlgorithmPurpose.Encryption ? 0x6610 : 0x800C)!;

    /// <summary>Finds an algorithm by its ALG_ID.</summary>
    /// <returns>The algorithm, or <see langword="null"/> when the id is not one Exchange documents.</returns>
    public static SmimeAlgorithm? FindById(int algorithmId)
    {
        foreach (SmimeAlgorithm algorithm in All)
        {
            if (algorithm.AlgorithmId == algorithmId)
            {
                return algorithm;
            }
        }

        return null;
    }

    /// <summary>The algorithms of one purpose, for messages that list what is accepted.</summary>
    public static IEnumerable<SmimeAlgorithm> ForPurpose(SmimeAlgorithmPurpose purpose)
    {
        foreach (SmimeAlgorithm algorithm in All)
        {
            if (algorithm.Purpose == purpose)
            {
                yield return algorithm;
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Id + " (" + DisplayName + ")";
}
