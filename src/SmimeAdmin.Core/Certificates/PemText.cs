using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SmimeAdmin.Core.Certificates;

/// <summary>One <c>-----BEGIN label-----</c> ... <c>-----END label-----</c> block of PEM text, decoded.</summary>
internal sealed class PemBlock
{
    public PemBlock(string label, long offset, byte[] content)
    {
        Label = label;
        Offset = offset;
        Content = content;
    }

    /// <summary>The label, e.g. <c>CERTIFICATE</c>.</summary>
    public string Label { get; }

    /// <summary>The byte offset of the BEGIN line in the input.</summary>
    public long Offset { get; }

    /// <summary>The Base64-decoded content.</summary>
    public byte[] Content { get; }
}

/// <summary>
/// Finds and decodes the PEM blocks of a text (RFC 7468), with any text before, between and after them, LF or CRLF
/// line ends, and UTF-8, ASCII or UTF-16 (with a byte-order mark) encoding.
/// </summary>
internal static class PemText
{
    public const string CertificateLabel = "CERTIFICATE";
    public const string Pkcs7Label = "PKCS7";

    private const int MaxLabelShown = 64;
    private static readonly byte[] s_begin = Encoding.ASCII.GetBytes("-----BEGIN ");
    private static readonly byte[] s_dashes = Encoding.ASCII.GetBytes("-----");

    /// <summary>Turns the input into one byte per character, and says how to map an index back to a byte offset.</summary>
    /// <remarks>PEM markers and Base64 are ASCII, so single bytes can be searched directly.</remarks>
    public static byte[] ToSingleByteText(byte[] data, out int offsetBase, out int offsetScale)
    {
        if (data.Length >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)))
        {
            bool littleEndian = data[0] == 0xFF;
            int count = (data.Length - 2) / 2;
            byte[] text = new byte[count];
            for (int i = 0; i < count; i++)
            {
                int unit = littleEndian
                    ? data[2 + (2 * i)] | (data[3 + (2 * i)] << 8)
                    : (data[2 + (2 * i)] << 8) | data[3 + (2 * i)];
                text[i] = unit <= 0x7F ? (byte)unit : (byte)'?';
            }

            offsetBase = 2;
            offsetScale = 2;
            return text;
        }

        offsetBase = 0;
        offsetScale = 1;
        return data;
    }

    /// <summary>Whether the text holds a <c>-----BEGIN </c> marker.</summary>
    public static bool HasBeginMarker(byte[] text) => IndexOf(text, s_begin, 0, text.Length) >= 0;

    /// <summary>Decodes every block.</summary>
    /// <param name="text">The text, one byte per character (see <see cref="ToSingleByteText"/>).</param>
    /// <param name="offsetBase">Added to a scaled index to give the byte offset in the input.</param>
    /// <param name="offsetScale">Input bytes per character.</param>
    /// <exception cref="CertificateFormatException">
    /// A block is unterminated, has a label other than CERTIFICATE or PKCS7, or holds text that is not Base64.
    /// </exception>
    public static List<PemBlock> ReadBlocks(byte[] text, int offsetBase, int offsetScale)
    {
        var blocks = new List<PemBlock>();
        int position = 0;
        while (true)
        {
            int begin = IndexOf(text, s_begin, position, text.Length);
            if (begin < 0)
            {
                return blocks;
            }

            long beginOffset = offsetBase + ((long)begin * offsetScale);
            int labelStart = begin + s_begin.Length;
            int lineEnd = labelStart;
            while (lineEnd < text.Length && text[lineEnd] != (byte)'\n' && text[lineEnd] != (byte)'\r')
            {
                lineEnd++;
            }

            int labelEnd = IndexOf(text, s_dashes, labelStart, lineEnd);
            if (labelEnd < 0)
            {
                throw new CertificateFormatException(beginOffset, Strings.PemUnterminatedBegin);
            }

            string label = Encoding.ASCII.GetString(text, labelStart, labelEnd - labelStart);
            if (label != CertificateLabel && label != Pkcs7Label)
            {
                throw new CertificateFormatException(
                    beginOffset,
                    string.Format(CultureInfo.CurrentCulture, Strings.PemUnsupportedLabel, Printable(label)));
            }

            int bodyStart = labelEnd + s_dashes.Length;
            byte[] endMarker = Encoding.ASCII.GetBytes("-----END " + label + "-----");
            int end = IndexOf(text, endMarker, bodyStart, text.Length);
            if (end < 0)
            {
                throw new CertificateFormatException(
                    beginOffset,
                    string.Format(CultureInfo.CurrentCulture, Strings.PemNoEnd, label));
            }

            blocks.Add(new PemBlock(label, beginOffset, DecodeBase64(text, bodyStart, end, offsetBase, offsetScale, label, beginOffset)));
            position = end + endMarker.Length;
        }
    }

    /// <summary>Writes one block with 64-character lines and LF line ends, as OpenSSL does.</summary>
    public static void AppendBlock(StringBuilder builder, string label, byte[] content)
    {
        string base64 = Convert.ToBase64String(content);
        builder.Append("-----BEGIN ").Append(label).Append("-----\n");
        for (int i = 0; i < base64.Length; i += 64)
        {
            builder.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        }

        builder.Append("-----END ").Append(label).Append("-----\n");
    }

    private static byte[] DecodeBase64(
        byte[] text, int start, int end, int offsetBase, int offsetScale, string label, long beginOffset)
    {
        char[] characters = new char[end - start];
        int count = 0;
        for (int i = start; i < end; i++)
        {
            byte c = text[i];
            if ((c >= (byte)'A' && c <= (byte)'Z') || (c >= (byte)'a' && c <= (byte)'z') || (c >= (byte)'0' && c <= (byte)'9')
                || c == (byte)'+' || c == (byte)'/' || c == (byte)'=')
            {
                characters[count++] = (char)c;
            }
            else if (c != (byte)' ' && c != (byte)'\t' && c != (byte)'\r' && c != (byte)'\n' && c != 0x0B && c != 0x0C)
            {
                throw new CertificateFormatException(
                    offsetBase + ((long)i * offsetScale),
                    string.Format(CultureInfo.CurrentCulture, Strings.PemBadBase64Character, c));
            }
        }

        if (count == 0)
        {
            throw new CertificateFormatException(
                beginOffset,
                string.Format(CultureInfo.CurrentCulture, Strings.PemEmptyBlock, label));
        }

        try
        {
            return Convert.FromBase64CharArray(characters, 0, count);
        }
        catch (FormatException ex)
        {
            throw new CertificateFormatException(
                offsetBase + ((long)start * offsetScale),
                string.Format(CultureInfo.CurrentCulture, Strings.PemBadBase64, label),
                ex);
        }
    }

    private static string Printable(string label)
    {
        var builder = new StringBuilder();
        foreach (char c in label)
        {
            if (builder.Length == MaxLabelShown)
            {
                builder.Append("...");
                break;
            }

            builder.Append(c >= ' ' && c <= '~' ? c : '?');
        }

        return builder.ToString();
    }

    private static int IndexOf(byte[] data, byte[] pattern, int start, int limit)
    {
        int last = limit - pattern.Length;
        for (int i = start; i <= last; i++)
        {
            if (data[i] != pattern[0])
            {
                continue;
            }

            int j = 1;
            while (j < pattern.Length && data[i + j] == pattern[j])
            {
                j++;
            }

            if (j == pattern.Length)
            {
                return i;
            }
        }

        return -1;
    }
}
