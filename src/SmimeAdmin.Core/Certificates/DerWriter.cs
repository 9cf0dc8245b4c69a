using System;
using System.Collections.Generic;
using System.IO;

namespace SmimeAdmin.Core.Certificates;

/// <summary>
/// Writes DER from parts that are already encoded, so that certificates go into a SignedData with their exact bytes
/// (re-encoding one through an object tree could change it, and with it its thumbprint).
/// </summary>
internal static class DerWriter
{
    public const byte Integer = 0x02;
    public const byte ObjectIdentifier = 0x06;
    public const byte Sequence = 0x30;
    public const byte Set = 0x31;
    public const byte ContextConstructed0 = 0xA0;

    /// <summary>Writes one element: the tag, the definite length, then the parts.</summary>
    public static byte[] Element(byte tag, params byte[][] parts)
    {
        long contentLength = 0;
        foreach (byte[] part in parts)
        {
            contentLength += part.Length;
        }

        using var buffer = new MemoryStream();
        buffer.WriteByte(tag);
        if (contentLength < 0x80)
        {
            buffer.WriteByte((byte)contentLength);
        }
        else
        {
            int count = contentLength > 0xFFFFFF ? 4 : contentLength > 0xFFFF ? 3 : contentLength > 0xFF ? 2 : 1;
            buffer.WriteByte((byte)(0x80 | count));
            for (int shift = (count - 1) * 8; shift >= 0; shift -= 8)
            {
                buffer.WriteByte((byte)(contentLength >> shift));
            }
        }

        foreach (byte[] part in parts)
        {
            buffer.Write(part, 0, part.Length);
        }

        return buffer.ToArray();
    }

    /// <summary>Writes a SET OF (or an implicitly tagged one): DER orders the members by their encodings.</summary>
    public static byte[] SetOf(byte tag, IEnumerable<byte[]> members)
    {
        var sorted = new List<byte[]>(members);
        sorted.Sort(CompareSetMembers);
        return Element(tag, sorted.ToArray());
    }

    // X.690 11.6: members of a SET OF are ordered as octet strings, the shorter padded at the end with zeros.
    private static int CompareSetMembers(byte[] left, byte[] right)
    {
        int length = Math.Max(left.Length, right.Length);
        for (int i = 0; i < length; i++)
        {
            int a = i < left.Length ? left[i] : 0;
            int b = i < right.Length ? right[i] : 0;
            if (a != b)
            {
                return a - b;
            }
        }

        return 0;
    }
}
