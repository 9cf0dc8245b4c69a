using System;
using System.Collections.Generic;
using System.Globalization;

namespace SmimeAdmin.Core.Store;

/// <summary>Rules for the SMTP addresses that identify recipients (mailboxes) in a store.</summary>
/// <remarks>
/// An address is also the name of the recipient's file in the folder store, so the rules are stricter than
/// RFC 5321: a dot-atom local part of ASCII letters, digits and <c>!#$%&amp;'+-=^_`{}~</c> (not the <c>/ | ? *</c>
/// that RFC 5321 allows but file systems reject), no quoted local parts, no address literals, no internationalized
/// (SMTPUTF8) addresses. Addresses compare case-insensitively, as Exchange compares them.
/// </remarks>
public static class RecipientAddress
{
    /// <summary>
    /// The longest accepted address. RFC 5321 allows 254 characters; 200 keeps the recipient's file name and the
    /// temporary name it is written through within the 255 bytes every file system allows for a name.
    /// </summary>
    public const int MaximumLength = 200;

    /// <summary>The longest local part (before '@'), as RFC 5321 sets it.</summary>
    public const int MaximumLocalPartLength = 64;

    private const int MaximumLabelLength = 63;
    private const string SmtpPrefix = "smtp:";
    private const string FileExtension = ".json";
    private const string LocalPartSymbols = "!#$%&'+-=^_`{}~";

    // Windows treats a file name whose part before the first dot is one of these as a device.
    private static readonly HashSet<string> s_reservedOnWindows = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>
    /// Checks an address and returns it without an Exchange-style <c>smtp:</c> / <c>SMTP:</c> prefix, in the case
    /// given.
    /// </summary>
    /// <param name="address">The address, e.g. <c>alice@contoso.com</c> or <c>SMTP:alice@contoso.com</c>.</param>
    /// <returns>The bare address.</returns>
    /// <exception cref="SmimeRecipientAddressException">The address breaks the rules; the message says which.</exception>
    public static string Validate(string? address)
    {
        string? problem = Check(address, out string bare);
        if (problem is not null)
        {
            throw new SmimeRecipientAddressException(address, problem);
        }

        return bare;
    }

    /// <summary>Whether two addresses name the same mailbox (ASCII case-insensitive).</summary>
    public static bool AreSame(string? left, string? right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);

    /// <summary>A recipient's proxy addresses: <paramref name="addresses"/> in order, without the primary one and without repeats.</summary>
    internal static List<string> ProxiesOf(string primary, IEnumerable<string> addresses)
    {
        var proxies = new List<string>();
        foreach (string address in addresses)
        {
            if (!AreSame(address, primary) && !proxies.Exists(proxy => AreSame(proxy, address)))
            {
                proxies.Add(address);
            }
        }

        return proxies;
    }

    /// <summary>The name of the file that holds the address's recipient or proxy link: the address in lower case.</summary>
    internal static string FileName(string validatedAddress) =>
        validatedAddress.ToLowerInvariant() + FileExtension;

    /// <summary>Whether a name is one <see cref="FileName"/> gives, so that it is safe to open in the store's folders.</summary>
    internal static bool IsFileName(string? name)
    {
        if (name is null || !name.EndsWith(FileExtension, StringComparison.Ordinal))
        {
            return false;
        }

        string address = name.Substring(0, name.Length - FileExtension.Length);
        return !address.StartsWith(SmtpPrefix, StringComparison.OrdinalIgnoreCase)
            && Check(address, out _) is null
            && string.Equals(address, address.ToLowerInvariant(), StringComparison.Ordinal);
    }

    private static string? Check(string? address, out string bare)
    {
        bare = address ?? string.Empty;
        if (string.IsNullOrEmpty(address))
        {
            return Strings.RecipientAddressEmpty;
        }

        if (address!.StartsWith(SmtpPrefix, StringComparison.OrdinalIgnoreCase))
        {
            bare = address.Substring(SmtpPrefix.Length);
        }

        if (bare.Length > MaximumLength)
        {
            return string.Format(CultureInfo.CurrentCulture, Strings.RecipientAddressTooLong, MaximumLength);
        }

        int at = bare.LastIndexOf('@');
        if (at < 0)
        {
            return Strings.RecipientAddressNoAt;
        }

        string local = bare.Substring(0, at);
        string domain = bare.Substring(at + 1);
        if (!IsLocalPart(local))
        {
            return string.Format(CultureInfo.CurrentCulture, Strings.RecipientAddressLocalPart, MaximumLocalPartLength, LocalPartSymbols);
        }

        if (!IsDomain(domain))
        {
            return Strings.RecipientAddressDomain;
        }

        // The file name's part before its first dot is the local part's first dot-separated piece only when the local
        // part has a dot; "nul@contoso.com.json" is a valid name, "nul.x@contoso.com.json" is not.
        if (local.IndexOf('.') >= 0 && s_reservedOnWindows.Contains(local.Substring(0, local.IndexOf('.'))))
        {
            return Strings.RecipientAddressReservedName;
        }

        return null;
    }

    // A dot-atom (RFC 5322 3.2.3) without the atext characters that file systems reject.
    private static bool IsLocalPart(string local)
    {
        if (local.Length == 0 || local.Length > MaximumLocalPartLength || local[0] == '.' || local[local.Length - 1] == '.')
        {
            return false;
        }

        for (int i = 0; i < local.Length; i++)
        {
            char c = local[i];
            bool allowed = IsAsciiLetterOrDigit(c) || LocalPartSymbols.IndexOf(c) >= 0 || (c == '.' && local[i - 1] != '.');
            if (!allowed)
            {
                return false;
            }
        }

        return true;
    }

    // Two or more LDH labels (RFC 5321 4.1.2 "Domain"); a single label names no Internet domain.
    private static bool IsDomain(string domain)
    {
        string[] labels = domain.Split('.');
        if (labels.Length < 2)
        {
            return false;
        }

        foreach (string label in labels)
        {
            if (label.Length == 0 || label.Length > MaximumLabelLength || label[0] == '-' || label[label.Length - 1] == '-')
            {
                return false;
            }

            foreach (char c in label)
            {
                if (!IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsAsciiLetterOrDigit(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
