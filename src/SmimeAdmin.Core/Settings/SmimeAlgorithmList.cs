using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SmimeAdmin.Core.Settings;

/// <summary>
/// Parses, validates and normalizes Exchange's algorithm-list grammar:
/// <c>entry *( ";" entry )</c>, where an entry is <c>algid</c>, <c>algid ":" keylength</c> or <c>algid "," OID</c>.
/// </summary>
/// <remarks>
/// Exchange documents neither letter case nor white space; both are accepted here and normalized away
/// (upper-case ids, no blanks). Combining a key length and an OID in one entry is not documented and is rejected.
/// </remarks>
public static class SmimeAlgorithmList
{
    /// <summary>Exchange's default encryption list: AES-256.</summary>
    public const string DefaultEncryption = "6610";

    /// <summary>Exchange's default signing list: SHA-1.</summary>
    public const string DefaultSigning = "8004";

    /// <summary>Parses a list, throwing when it is malformed.</summary>
    /// <exception cref="FormatException">The text does not follow the grammar; the message says where and why.</exception>
    public static IReadOnlyList<SmimeAlgorithmEntry> Parse(string text, SmimeAlgorithmPurpose purpose)
    {
        if (!TryParse(text, purpose, out IReadOnlyList<SmimeAlgorithmEntry> entries, out string? error))
        {
            throw new FormatException(error);
        }

        return entries;
    }

    /// <summary>
    /// Parses a stored list the way Outlook on the web reads it: a missing or malformed value means the default.
    /// </summary>
    public static IReadOnlyList<SmimeAlgorithmEntry> ParseOrDefault(string? text, SmimeAlgorithmPurpose purpose) =>
        !string.IsNullOrWhiteSpace(text) && TryParse(text!, purpose, out IReadOnlyList<SmimeAlgorithmEntry> entries, out _)
            ? entries
            : Parse(DefaultFor(purpose), purpose);

    /// <summary>The default list of a purpose.</summary>
    public static string DefaultFor(SmimeAlgorithmPurpose purpose) =>
        purpose == SmimeAlgorithmPurpose.Encryption ? DefaultEncryption : DefaultSigning;

    /// <summary>Parses a list.</summary>
    /// <param name="text">The list, e.g. <c>6610;660E;6602:128</c>.</param>
    /// <param name="purpose">Which ids are allowed.</param>
    /// <param name="entries">The entries in order of preference.</param>
    /// <param name="error">When the text is malformed, which entry and why.</param>
    /// <returns><see langword="true"/> when the text follows the grammar.</returns>
    public static bool TryParse(
        string text,
        SmimeAlgorithmPurpose purpose,
        out IReadOnlyList<SmimeAlgorithmEntry> entries,
        out string? error)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        var parsed = new List<SmimeAlgorithmEntry>();
        entries = parsed;
        error = null;
        if (text.Trim().Length == 0)
        {
            error = Strings.AlgorithmListEmpty;
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string rawEntry in text.Split(';'))
        {
            string entryText = rawEntry.Trim();
            error = TryParseEntry(entryText, purpose, out SmimeAlgorithmEntry? entry);
            if (error is null && !seen.Add(entry!.ToString()))
            {
                error = Strings.AlgorithmEntryDuplicate;
            }

            if (error is not null)
            {
                error = string.Format(CultureInfo.CurrentCulture, Strings.AlgorithmEntryInvalid, entryText, error);
                return false;
            }

            parsed.Add(entry!);
        }

        return true;
    }

    /// <summary>Writes entries in canonical form, <c>;</c>-separated.</summary>
    public static string Format(IEnumerable<SmimeAlgorithmEntry> entries) =>
        string.Join(";", entries.Select(entry => entry.ToString()));

    /// <summary>Describes the accepted forms of a list, naming every id, for error messages.</summary>
    public static string DescribeAcceptedForms(SmimeAlgorithmPurpose purpose)
    {
        IEnumerable<string> ids = SmimeAlgorithm.ForPurpose(purpose).Select(algorithm =>
            algorithm.KeyLengths.Count > 1
                ? string.Format(
                    CultureInfo.CurrentCulture,
                    Strings.AlgorithmIdWithLengths,
                    algorithm.Id,
                    algorithm.DisplayName,
                    string.Join(", ", algorithm.KeyLengths.OrderBy(length => length)))
                : algorithm.Id + " (" + algorithm.DisplayName + ")");
        return string.Format(
            CultureInfo.CurrentCulture,
            Strings.AlgorithmListAcceptedForms,
            string.Join(", ", ids),
            DefaultFor(purpose));
    }

    private static string? TryParseEntry(string entryText, SmimeAlgorithmPurpose purpose, out SmimeAlgorithmEntry? entry)
    {
        entry = null;
        if (entryText.Length == 0)
        {
            return Strings.AlgorithmEntryEmpty;
        }

        int colon = entryText.IndexOf(':');
        int comma = entryText.IndexOf(',');
        if (colon >= 0 && comma >= 0)
        {
            return Strings.AlgorithmEntryLengthAndOid;
        }

        int separator = colon >= 0 ? colon : comma;
        string idText = (separator >= 0 ? entryText.Substring(0, separator) : entryText).Trim();
        string? suffix = separator >= 0 ? entryText.Substring(separator + 1).Trim() : null;

        if (idText.Length != 4
            || !int.TryParse(idText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int algorithmId))
        {
            return Strings.AlgorithmIdNotHex;
        }

        SmimeAlgorithm? algorithm = SmimeAlgorithm.FindById(algorithmId);
        if (algorithm is null)
        {
            return Strings.AlgorithmIdUnknown;
        }

        if (algorithm.Purpose != purpose)
        {
            return purpose == SmimeAlgorithmPurpose.Encryption
                ? Strings.AlgorithmIdIsDigest
                : Strings.AlgorithmIdIsCipher;
        }

        if (colon >= 0)
        {
            if (!int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out int keyLength)
                || !algorithm.KeyLengths.Contains(keyLength))
            {
                return string.Format(
                    CultureInfo.CurrentCulture,
                    Strings.AlgorithmKeyLengthInvalid,
                    algorithm.Id,
                    string.Join(", ", algorithm.KeyLengths.OrderBy(length => length)));
            }

            entry = new SmimeAlgorithmEntry(algorithm, keyLength, null);
            return null;
        }

        if (comma >= 0)
        {
            if (!ObjectIdentifier.IsValid(suffix))
            {
                return Strings.AlgorithmOidInvalid;
            }

            entry = new SmimeAlgorithmEntry(algorithm, null, suffix);
            return null;
        }

        entry = new SmimeAlgorithmEntry(algorithm, null, null);
        return null;
    }
}
