using System;
using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SmimeAdmin.Ldap;

/// <summary>
/// The subject-name hash OpenSSL uses to find a CA certificate in a CA folder (<c>-CApath</c>, libldap's
/// <c>TLS_CACERTDIR</c> on OpenSSL builds): the file <c>&lt;hash&gt;.&lt;n&gt;</c>, as <c>openssl rehash</c> names it.
/// </summary>
/// <remarks>
/// <para>
/// This is OpenSSL's <c>X509_NAME_hash</c> as of OpenSSL 1.0 (<c>openssl x509 -hash</c>): the SHA-1 of the name's
/// canonical encoding, whose first four bytes, read as a little-endian unsigned number, are written as eight
/// lower-case hex digits. The canonical encoding is the DER of each non-empty relative distinguished name in turn
/// (a SET OF attribute type and value), concatenated without the name's outer SEQUENCE header; an empty name has an
/// empty encoding.
/// </para>
/// <para>
/// In it, values of the string types OpenSSL canonicalizes (UTF8String, BMPString, UniversalString, PrintableString,
/// T61String, IA5String and VisibleString) become a UTF8String of the text with leading and trailing ASCII white
/// space removed, each run of inner ASCII white space replaced by one space, and ASCII letters in lower case; other
/// characters stay as they are. T61String, like the other one-byte types, is read as ISO 8859-1, as OpenSSL does.
/// Values of any other type are kept byte for byte. SHA-1 here only names a file; it protects nothing.
/// </para>
/// </remarks>
internal static class OpenSslSubjectHash
{
    /// <summary>The hash of a certificate's subject, as <c>openssl x509 -hash</c> prints it.</summary>
    /// <exception cref="CryptographicException">The subject is not a DER-encoded name, or a string in it is not valid in its type.</exception>
    public static string Compute(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Compute(certificate.SubjectName.RawData);
    }

    /// <summary>The hash of a DER-encoded distinguished name.</summary>
    /// <exception cref="CryptographicException">The bytes are not a DER-encoded name, or a string in it is not valid in its type.</exception>
    public static string Compute(ReadOnlyMemory<byte> encodedName)
    {
        byte[] canonical;
        try
        {
            canonical = CanonicalEncoding(encodedName);
        }
        catch (Exception ex) when (ex is AsnContentException or ArgumentException)
        {
            // DecoderFallbackException, from a string that is not valid in its type, is an ArgumentException.
            throw new CryptographicException(string.Format(CultureInfo.CurrentCulture, Strings.OpenSslNameNotCanonical, ex.Message.TrimEnd('.')), ex);
        }

        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // OpenSSL's file-name hash is defined with SHA-1; it is no security check.
        SHA1.HashData(canonical, digest);
#pragma warning restore CA5350
        return BinaryPrimitives.ReadUInt32LittleEndian(digest).ToString("x8", CultureInfo.InvariantCulture);
    }

    /// <summary>The bytes OpenSSL hashes for a name (its <c>canon_enc</c>).</summary>
    internal static byte[] CanonicalEncoding(ReadOnlyMemory<byte> encodedName)
    {
        var reader = new AsnReader(encodedName, AsnEncodingRules.DER);
        AsnReader names = reader.ReadSequence();
        EnsureAtEnd(reader);

        var writer = new AsnWriter(AsnEncodingRules.DER);
        while (names.HasData)
        {
            // Some issuers write multi-valued RDNs out of DER order; OpenSSL reads them and sorts them when encoding,
            // as the writer's SET OF does.
            AsnReader rdn = names.ReadSetOf(skipSortOrderValidation: true);
            if (!rdn.HasData)
            {
                continue;
            }

            using (writer.PushSetOf())
            {
                while (rdn.HasData)
                {
                    AsnReader attribute = rdn.ReadSequence();
                    ReadOnlyMemory<byte> type = attribute.ReadEncodedValue();
                    ReadOnlyMemory<byte> value = attribute.ReadEncodedValue();
                    EnsureAtEnd(attribute);
                    using (writer.PushSequence())
                    {
                        writer.WriteEncodedValue(type.Span);
                        string? text = ReadText(value);
                        if (text is null)
                        {
                            writer.WriteEncodedValue(value.Span);
                        }
                        else
                        {
                            writer.WriteCharacterString(UniversalTagNumber.UTF8String, Canonical(text));
                        }
                    }
                }
            }
        }

        return writer.Encode();
    }

    private static void EnsureAtEnd(AsnReader reader)
    {
        if (reader.HasData)
        {
            throw new AsnContentException();
        }
    }

    // The text of a value of a type OpenSSL canonicalizes, or null for any other value.
    private static string? ReadText(ReadOnlyMemory<byte> value)
    {
        Asn1Tag tag = Asn1Tag.Decode(value.Span, out _);
        if (tag.TagClass != TagClass.Universal || tag.IsConstructed)
        {
            return null;
        }

        Encoding? encoding = (UniversalTagNumber)tag.TagValue switch
        {
            UniversalTagNumber.UTF8String => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
            UniversalTagNumber.BMPString => new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true),
            UniversalTagNumber.UniversalString => new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true),
            UniversalTagNumber.PrintableString or UniversalTagNumber.T61String or UniversalTagNumber.IA5String or UniversalTagNumber.VisibleString => Encoding.Latin1,
            _ => null,
        };
        if (encoding is null)
        {
            return null;
        }

        AsnDecoder.ReadEncodedValue(value.Span, AsnEncodingRules.DER, out int offset, out int length, out _);
        ReadOnlySpan<byte> contents = value.Span.Slice(offset, length);
        if (tag.TagValue == (int)UniversalTagNumber.BMPString && contents.Length % 2 != 0)
        {
            throw new AsnContentException();
        }

        string text = encoding.GetString(contents);
        if (tag.TagValue == (int)UniversalTagNumber.BMPString && text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0)
        {
            // A BMPString holds UCS-2, so a surrogate is a character UTF-8 cannot encode; OpenSSL 3 does not even load a
            // certificate with such a name.
            throw new AsnContentException();
        }

        return text;
    }

    // OpenSSL's asn1_string_canon on the text: only ASCII white space and ASCII letters change.
    private static string Canonical(string text)
    {
        var builder = new StringBuilder(text.Length);
        int start = 0;
        int end = text.Length;
        while (start < end && IsAsciiSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsAsciiSpace(text[end - 1]))
        {
            end--;
        }

        for (int i = start; i < end; i++)
        {
            char c = text[i];
            if (IsAsciiSpace(c))
            {
                builder.Append(' ');
                while (IsAsciiSpace(text[i + 1]))
                {
                    i++;
                }
            }
            else
            {
                builder.Append(char.IsAsciiLetterUpper(c) ? (char)(c + ('a' - 'A')) : c);
            }
        }

        return builder.ToString();
    }

    // C's isspace in the C locale, which OpenSSL uses: space, tab, line feed, vertical tab, form feed, carriage return.
    private static bool IsAsciiSpace(char c) => c == ' ' || (c >= '\t' && c <= '\r');
}
