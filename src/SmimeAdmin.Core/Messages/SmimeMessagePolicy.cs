using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MimeKit.Cryptography;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Messages;

/// <summary>
/// What an organization's settings mean for one message: the digest and content-encryption algorithms that may be used,
/// in the order of preference of OWASigningAlgorithms and OWAEncryptionAlgorithms, as MimeKit names them.
/// </summary>
/// <remarks>
/// Entries MimeKit cannot produce are passed over: RC2 with 56-bit keys and entries with a third-party OID. A malformed
/// or empty list means Exchange's default, as in Outlook on the web.
/// </remarks>
internal sealed class SmimeMessagePolicy
{
    private const int MinimumWrappedKeyBits = 128;

    private SmimeMessagePolicy(SmimeSettings settings)
    {
        Settings = settings;
        Digests = SmimeAlgorithmList.ParseOrDefault(settings.OWASigningAlgorithms, SmimeAlgorithmPurpose.Signing)
            .Select(entry => (Entry: entry, Algorithm: ToDigest(entry)))
            .Where(pair => pair.Algorithm is not null)
            .Select(pair => (pair.Entry, pair.Algorithm!.Value))
            .ToArray();
        Ciphers = SmimeAlgorithmList.ParseOrDefault(settings.OWAEncryptionAlgorithms, SmimeAlgorithmPurpose.Encryption)
            .Select(entry => (Entry: entry, Algorithm: ToCipher(entry)))
            .Where(pair => pair.Algorithm is not null)
            .Select(pair => (pair.Entry, pair.Algorithm!.Value))
            .ToArray();
    }

    public SmimeSettings Settings { get; }

    /// <summary>The usable digests, most preferred first.</summary>
    public IReadOnlyList<(SmimeAlgorithmEntry Entry, DigestAlgorithm Algorithm)> Digests { get; }

    /// <summary>The usable content-encryption algorithms, most preferred first.</summary>
    public IReadOnlyList<(SmimeAlgorithmEntry Entry, EncryptionAlgorithm Algorithm)> Ciphers { get; }

    public static SmimeMessagePolicy For(SmimeSettings settings) =>
        new((settings ?? throw new ArgumentNullException(nameof(settings))).Clone());

    /// <summary>The first digest of OWASigningAlgorithms that can sign with the signer's key (ECDSA has no MD5).</summary>
    /// <param name="ecKey">Whether the signer's key is an EC key.</param>
    /// <exception cref="SmimeMessageException">No entry of the list can be used.</exception>
    public (SmimeAlgorithmEntry Entry, DigestAlgorithm Algorithm) ChooseDigest(bool ecKey)
    {
        foreach ((SmimeAlgorithmEntry entry, DigestAlgorithm algorithm) in Digests)
        {
            if (!ecKey || entry.Algorithm.EcdsaSignatureOid is not null)
            {
                return (entry, algorithm);
            }
        }

        throw new SmimeMessageException(
            SmimeMessageErrorCode.NoUsableAlgorithm,
            Settings.OWASigningAlgorithms,
            string.Format(CultureInfo.CurrentCulture, Strings.MessageNoUsableDigest, Settings.OWASigningAlgorithms));
    }

    /// <summary>
    /// The first algorithm of OWAEncryptionAlgorithms that every recipient supports. A recipient whose published
    /// certificate names no S/MIME capabilities (a bare userCertificate, say) is taken to support the organization's list.
    /// </summary>
    /// <param name="recipientCapabilities">Each recipient's published capabilities (empty for none known).</param>
    /// <exception cref="SmimeMessageException">No entry is supported by every recipient.</exception>
    /// <param name="keyAgreement">
    /// Whether a recipient has an EC key. Its content key is then AES-wrapped (RFC 5753), which takes keys of 128 bits
    /// or more, so DES, RC2-40 and RC2-64 cannot serve.
    /// </param>
    public (SmimeAlgorithmEntry Entry, EncryptionAlgorithm Algorithm) ChooseCipher(IEnumerable<IReadOnlyList<UserSmimeCapability>> recipientCapabilities, bool keyAgreement)
    {
        var known = recipientCapabilities.Where(capabilities => capabilities.Count > 0).ToList();
        foreach ((SmimeAlgorithmEntry entry, EncryptionAlgorithm algorithm) in Ciphers)
        {
            if ((!keyAgreement || entry.EffectiveKeyLength >= MinimumWrappedKeyBits)
                && known.All(capabilities => capabilities.Any(capability => Supports(capability, entry))))
            {
                return (entry, algorithm);
            }
        }

        string message = string.Format(CultureInfo.CurrentCulture, Strings.MessageNoCommonCipher, Settings.OWAEncryptionAlgorithms);
        throw new SmimeMessageException(
            SmimeMessageErrorCode.NoUsableAlgorithm,
            Settings.OWAEncryptionAlgorithms,
            keyAgreement ? message + " " + Strings.MessageKeyAgreementWeakCipher : message);
    }

    /// <summary>MimeKit's name for an encryption entry, or <see langword="null"/> when MimeKit cannot use it.</summary>
    internal static EncryptionAlgorithm? ToCipher(SmimeAlgorithmEntry entry)
    {
        if (entry.CustomOid is not null)
        {
            return null;
        }

        return entry.Algorithm.AlgorithmId switch
        {
            0x6601 => EncryptionAlgorithm.Des,
            0x6602 => entry.EffectiveKeyLength switch
            {
                40 => EncryptionAlgorithm.RC240,
                64 => EncryptionAlgorithm.RC264,
                128 => EncryptionAlgorithm.RC2128,
                _ => null,
            },
            0x6603 => EncryptionAlgorithm.TripleDes,
            0x660E => EncryptionAlgorithm.Aes128,
            0x660F => EncryptionAlgorithm.Aes192,
            0x6610 => EncryptionAlgorithm.Aes256,
            _ => null,
        };
    }

    /// <summary>MimeKit's name for a signing entry, or <see langword="null"/> when MimeKit cannot use it.</summary>
    internal static DigestAlgorithm? ToDigest(SmimeAlgorithmEntry entry) =>
        entry.CustomOid is null ? ToDigest(entry.Algorithm.AlgorithmId) : null;

    /// <summary>The digest's object identifier.</summary>
    /// <exception cref="NotSupportedException">The digest is not one of Exchange's signing algorithms.</exception>
    internal static string DigestOid(DigestAlgorithm digest) =>
        SmimeAlgorithm.ForPurpose(SmimeAlgorithmPurpose.Signing).FirstOrDefault(algorithm => ToDigest(algorithm.AlgorithmId) == digest)?.Oid
        ?? throw new NotSupportedException(digest.ToString());

    /// <summary>The cipher's object identifier, and its key length when it is RC2.</summary>
    /// <exception cref="NotSupportedException">The cipher is not one of Exchange's encryption algorithms.</exception>
    internal static (string Oid, int? KeyBits) CipherOid(EncryptionAlgorithm cipher)
    {
        foreach (SmimeAlgorithm algorithm in SmimeAlgorithm.ForPurpose(SmimeAlgorithmPurpose.Encryption))
        {
            foreach (int keyLength in algorithm.KeyLengths)
            {
                if (ToCipher(new SmimeAlgorithmEntry(algorithm, keyLength, null)) == cipher)
                {
                    return (algorithm.Oid, algorithm.AlgorithmId == 0x6602 ? keyLength : null);
                }
            }
        }

        throw new NotSupportedException(cipher.ToString());
    }

    private static DigestAlgorithm? ToDigest(int algorithmId)
    {
        return algorithmId switch
        {
            0x8003 => DigestAlgorithm.MD5,
            0x8004 => DigestAlgorithm.Sha1,
            0x800C => DigestAlgorithm.Sha256,
            0x800D => DigestAlgorithm.Sha384,
            0x800E => DigestAlgorithm.Sha512,
            _ => null,
        };
    }

    // RC2 capabilities carry the key length as their parameter; a capability without one is taken as any length.
    private static bool Supports(UserSmimeCapability capability, SmimeAlgorithmEntry entry) =>
        capability.Oid == entry.Oid
        && (entry.Algorithm.AlgorithmId != 0x6602 || capability.KeyLength is null || capability.KeyLength == entry.EffectiveKeyLength);
}
