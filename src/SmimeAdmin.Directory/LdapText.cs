using System;
using System.Linq;
using System.Text;

namespace SmimeAdmin.Ldap;

/// <summary>Escaping of values placed in LDAP search filters and distinguished names.</summary>
internal static class LdapText
{
    /// <summary>
    /// Escapes a value for an RFC 4515 filter assertion: '*', '(', ')', '\' and NUL, and every byte outside
    /// printable ASCII (as UTF-8), become \XX, so that no value can add a wildcard or a filter term.
    /// </summary>
    public static string EscapeFilterValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var escaped = new StringBuilder(value.Length + 8);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            if (b is (byte)'*' or (byte)'(' or (byte)')' or (byte)'\\' or < 0x20 or >= 0x7F)
            {
                escaped.Append('\\').Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append((char)b);
            }
        }

        return escaped.ToString();
    }

    /// <summary>Escapes an attribute value for an RDN (RFC 4514 section 2.4).</summary>
    public static string EscapeDnValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var escaped = new StringBuilder(value.Length + 8);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool special = c is ',' or '+' or '"' or '\\' or '<' or '>' or ';' or '='
                || (i == 0 && (c == ' ' || c == '#'))
                || (i == value.Length - 1 && c == ' ');
            if (c == '\0')
            {
                escaped.Append("\\00");
                continue;
            }

            if (special)
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>
    /// The value of an RFC 4528 assertion control whose filter is <c>(attribute=value)</c>: a BER equalityMatch,
    /// [3] SEQUENCE { attributeDesc OCTET STRING, assertionValue OCTET STRING }.
    /// </summary>
    public static byte[] EqualityAssertion(string attribute, string value)
    {
        byte[] description = OctetString(Encoding.UTF8.GetBytes(attribute));
        byte[] assertion = OctetString(Encoding.UTF8.GetBytes(value));
        return Tagged(0xA3, Concat(description, assertion));
    }

    private static byte[] OctetString(byte[] content) => Tagged(0x04, content);

    private static byte[] Tagged(byte tag, byte[] content)
    {
        byte[] length = content.Length switch
        {
            < 0x80 => new[] { (byte)content.Length },
            <= 0xFF => new[] { (byte)0x81, (byte)content.Length },
            _ => new[] { (byte)0x82, (byte)(content.Length >> 8), (byte)content.Length },
        };
        return Concat(new[] { tag }, length, content);
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(part => part.Length)];
        int offset = 0;
        foreach (byte[] part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }

        return result;
    }
}
