using System;
using System.Collections.Generic;
using System.DirectoryServices.Protocols;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SmimeAdmin.Ldap;

/// <summary>Reading attribute values of search results, whatever the server (OpenLDAP or Active Directory) calls them.</summary>
internal static class DirectoryEntries
{
    private static readonly string[] s_timeFormats = { "yyyyMMddHHmmss'Z'", "yyyyMMddHHmmss.f'Z'", "yyyyMMddHHmmss.ffffff'Z'" };

    /// <summary>The values of an attribute, matched by its name without options (";binary"), case-insensitively.</summary>
    public static IReadOnlyList<byte[]> Binary(SearchResultEntry entry, string name)
    {
        DirectoryAttribute? attribute = Find(entry, name);
        return attribute is null ? Array.Empty<byte[]>() : (byte[][])attribute.GetValues(typeof(byte[]));
    }

    /// <summary>The text values of an attribute (UTF-8).</summary>
    public static IReadOnlyList<string> Text(SearchResultEntry entry, string name) =>
        Binary(entry, name).Select(value => Encoding.UTF8.GetString(value)).ToArray();

    /// <summary>The first text value of an attribute, or <see langword="null"/>.</summary>
    public static string? FirstText(SearchResultEntry entry, string name)
    {
        IReadOnlyList<byte[]> values = Binary(entry, name);
        return values.Count > 0 ? Encoding.UTF8.GetString(values[0]) : null;
    }

    /// <summary>A GeneralizedTime value (createTimestamp, whenChanged) as UTC.</summary>
    public static DateTime? Time(SearchResultEntry entry, params string[] names)
    {
        foreach (string name in names)
        {
            if (FirstText(entry, name) is string text
                && DateTime.TryParseExact(text, s_timeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime time))
            {
                return time;
            }
        }

        return null;
    }

    /// <summary>The entry's identifier: OpenLDAP's entryUUID or Active Directory's objectGUID.</summary>
    public static Guid ObjectGuid(SearchResultEntry entry)
    {
        if (FirstText(entry, "entryUUID") is string uuid && Guid.TryParse(uuid, out Guid parsed))
        {
            return parsed;
        }

        IReadOnlyList<byte[]> objectGuid = Binary(entry, "objectGUID");
        return objectGuid.Count > 0 && objectGuid[0].Length == 16 ? new Guid(objectGuid[0]) : Guid.Empty;
    }

    private static DirectoryAttribute? Find(SearchResultEntry entry, string name)
    {
        foreach (string attributeName in entry.Attributes.AttributeNames)
        {
            int semicolon = attributeName.IndexOf(';', StringComparison.Ordinal);
            string bare = semicolon < 0 ? attributeName : attributeName.Substring(0, semicolon);
            if (string.Equals(bare, name, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Attributes[attributeName];
            }
        }

        return null;
    }
}
