using System.Globalization;

namespace SmimeAdmin.Core.Certificates;

/// <summary>
/// The position of one BER/DER element (tag, length, content) inside a byte array, found without copying or
/// building an object tree. Used where SmimeAdmin must keep a certificate's exact bytes and report exact offsets.
/// </summary>
internal readonly struct Asn1Element
{
    /// <summary>The largest nesting of indefinite-length elements followed when looking for their end.</summary>
    internal const int MaxIndefiniteDepth = 32;

    private Asn1Element(byte tag, int offset, int contentOffset, int contentLength, int end)
    {
        Tag = tag;
        Offset = offset;
        ContentOffset = contentOffset;
        ContentLength = contentLength;
        End = end;
    }

    /// <summary>The first identifier octet (class, constructed bit and low tag number).</summary>
    public byte Tag { get; }

    /// <summary>Where the element starts.</summary>
    public int Offset { get; }

    /// <summary>Where the content starts.</summary>
    public int ContentOffset { get; }

    /// <summary>
    /// The content length; for an indefinite-length element, the bytes up to (not including) its end-of-contents.
    /// </summary>
    public int ContentLength { get; }

    /// <summary>The offset just past the element (past the end-of-contents octets for indefinite length).</summary>
    public int End { get; }

    /// <summary>The offset just past the content.</summary>
    public int ContentEnd => ContentOffset + ContentLength;

    /// <summary>The whole element's length, header included.</summary>
    public int Length => End - Offset;

    /// <summary>Reads the element at <paramref name="offset"/>, which must end at or before <paramref name="limit"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="offset">Where the element starts.</param>
    /// <param name="limit">The end of the enclosing content.</param>
    /// <param name="reportBase">Added to every offset in an error, for data that is a slice of a larger input.</param>
    /// <exception cref="CertificateFormatException">The element is truncated or its header is malformed.</exception>
    public static Asn1Element Read(byte[] data, int offset, int limit, long reportBase) =>
        Read(data, offset, limit, reportBase, 0);

    /// <summary>Reads the element at <paramref name="offset"/> and checks that it has the expected tag.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="offset">Where the element starts.</param>
    /// <param name="limit">The end of the enclosing content.</param>
    /// <param name="reportBase">Added to every offset in an error.</param>
    /// <param name="tag">The expected first identifier octet.</param>
    /// <param name="expected">What the element is, for the error message.</param>
    /// <exception cref="CertificateFormatException">The element is malformed or has another tag.</exception>
    public static Asn1Element Read(byte[] data, int offset, int limit, long reportBase, byte tag, string expected)
    {
        if (offset >= limit)
        {
            throw new CertificateFormatException(
                reportBase + offset,
                string.Format(CultureInfo.CurrentCulture, Strings.Asn1ExpectedElementAtEnd, expected));
        }

        if (data[offset] != tag)
        {
            throw new CertificateFormatException(
                reportBase + offset,
                string.Format(CultureInfo.CurrentCulture, Strings.Asn1UnexpectedTag, expected, data[offset]));
        }

        return Read(data, offset, limit, reportBase, 0);
    }

    private static Asn1Element Read(byte[] data, int offset, int limit, long reportBase, int depth)
    {
        int position = offset;
        if (position >= limit)
        {
            throw new CertificateFormatException(reportBase + position, Strings.Asn1Truncated);
        }

        byte tag = data[position++];
        if ((tag & 0x1F) == 0x1F)
        {
            // High tag number form: base-128 digits, the last one without the top bit. Four digits cover every
            // tag number that fits an int; more means garbage.
            int digits = 0;
            while (true)
            {
                if (position >= limit)
                {
                    throw new CertificateFormatException(reportBase + offset, Strings.Asn1Truncated);
                }

                digits++;
                if ((data[position++] & 0x80) == 0)
                {
                    break;
                }

                if (digits == 4)
                {
                    throw new CertificateFormatException(reportBase + offset, Strings.Asn1TagTooLong);
                }
            }
        }

        if (position >= limit)
        {
            throw new CertificateFormatException(reportBase + offset, Strings.Asn1Truncated);
        }

        int lengthOffset = position;
        byte first = data[position++];
        if (first == 0x80)
        {
            if ((tag & 0x20) == 0)
            {
                throw new CertificateFormatException(reportBase + lengthOffset, Strings.Asn1IndefinitePrimitive);
            }

            if (depth >= MaxIndefiniteDepth)
            {
                throw new CertificateFormatException(reportBase + offset, Strings.Asn1TooDeep);
            }

            int contentOffset = position;
            while (true)
            {
                if (limit - position >= 2 && data[position] == 0 && data[position + 1] == 0)
                {
                    return new Asn1Element(tag, offset, contentOffset, position - contentOffset, position + 2);
                }

                if (position >= limit)
                {
                    throw new CertificateFormatException(reportBase + position, Strings.Asn1MissingEndOfContents);
                }

                position = Read(data, position, limit, reportBase, depth + 1).End;
            }
        }

        long length;
        if (first < 0x80)
        {
            length = first;
        }
        else
        {
            int count = first & 0x7F;
            if (count > 4)
            {
                throw new CertificateFormatException(
                    reportBase + lengthOffset,
                    string.Format(CultureInfo.CurrentCulture, Strings.Asn1LengthForm, first));
            }

            if (limit - position < count)
            {
                throw new CertificateFormatException(reportBase + lengthOffset, Strings.Asn1Truncated);
            }

            length = 0;
            for (int i = 0; i < count; i++)
            {
                length = (length << 8) | data[position++];
            }
        }

        long remaining = limit - position;
        if (length > remaining)
        {
            throw new CertificateFormatException(
                reportBase + lengthOffset,
                string.Format(CultureInfo.CurrentCulture, Strings.Asn1LengthPastEnd, length, remaining));
        }

        return new Asn1Element(tag, offset, position, (int)length, position + (int)length);
    }
}
