using System;
using System.Collections.Generic;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace SmimeAdmin.Core.Certificates;

/// <summary>
/// Formats an X.501 name the way Windows and .NET's <c>X500DistinguishedName.Name</c> show it: the most specific
/// relative name first (<c>CN=Root, O=Contoso, C=US</c>), Windows' attribute keys, <c>", "</c> between relative names,
/// <c>" + "</c> inside a multi-valued one, and values that contain special characters in double quotes.
/// </summary>
internal static class DistinguishedName
{
    private static readonly char[] s_quotedCharacters = { ',', '+', '=', '"', '\n', '<', '>', '#', ';' };

    private static readonly Dictionary<string, string> s_keys = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.4"] = "SN",
        ["2.5.4.5"] = "SERIALNUMBER",
        ["2.5.4.6"] = "C",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "S",
        ["2.5.4.9"] = "STREET",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["2.5.4.12"] = "T",
        ["2.5.4.13"] = "Description",
        ["2.5.4.17"] = "PostalCode",
        ["2.5.4.18"] = "POBox",
        ["2.5.4.20"] = "Phone",
        ["2.5.4.42"] = "G",
        ["2.5.4.43"] = "I",
        ["2.5.4.46"] = "dnQualifier",
        ["1.2.840.113549.1.9.1"] = "E",
        ["0.9.2342.19200300.100.1.25"] = "DC",
    };

    /// <summary>Formats a name.</summary>
    public static string Format(X509Name name)
    {
        if (name.ToAsn1Object() is not Asn1Sequence sequence)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        for (int i = sequence.Count - 1; i >= 0; i--)
        {
            if (sequence[i] is not Asn1Set relativeName)
            {
                continue;
            }

            bool firstValue = true;
            foreach (Asn1Encodable item in relativeName)
            {
                if (item is not Asn1Sequence attribute || attribute.Count < 2 || attribute[0] is not DerObjectIdentifier type)
                {
                    continue;
                }

                if (builder.Length > 0)
                {
                    builder.Append(firstValue ? ", " : " + ");
                }

                firstValue = false;
                builder.Append(s_keys.TryGetValue(type.Id, out string? key) ? key : "OID." + type.Id).Append('=');
                AppendValue(builder, ValueText(attribute[1]));
            }
        }

        return builder.ToString();
    }

    private static string ValueText(Asn1Encodable value)
    {
        switch (value)
        {
            case DerUniversalString universal:
                return DecodeUtf32BigEndian(universal.GetOctets());
            case DerBitString or Asn1OctetString:
                return "#" + HexText.Upper(value.GetEncoded());
            case IAsn1String text:
                return text.GetString();
            default:
                return "#" + HexText.Upper(value.GetEncoded());
        }
    }

    private static void AppendValue(StringBuilder builder, string value)
    {
        bool quote = value.Length == 0
            || value[0] == ' '
            || value[value.Length - 1] == ' '
            || value.IndexOfAny(s_quotedCharacters) >= 0;
        if (!quote)
        {
            builder.Append(value);
            return;
        }

        builder.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
    }

    private static string DecodeUtf32BigEndian(byte[] octets)
    {
        var builder = new StringBuilder(octets.Length / 4);
        for (int i = 0; i + 3 < octets.Length; i += 4)
        {
            int codePoint = (octets[i] << 24) | (octets[i + 1] << 16) | (octets[i + 2] << 8) | octets[i + 3];
            if (codePoint is < 0 or > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            {
                builder.Append('\uFFFD');
            }
            else
            {
                builder.Append(char.ConvertFromUtf32(codePoint));
            }
        }

        return builder.ToString();
    }
}
