using System.Collections.Generic;

namespace SmimeAdmin.Core.Tests.Certificates;

/// <summary>Finds the length octets of well-formed DER, for mutations that aim at them.</summary>
internal static class Asn1Walker
{
    public static List<int> LengthOffsets(byte[] der, int maxDepth = 5)
    {
        var offsets = new List<int>();
        Walk(der, 0, der.Length, 0, maxDepth, offsets);
        return offsets;
    }

    private static void Walk(byte[] der, int position, int end, int depth, int maxDepth, List<int> offsets)
    {
        while (position < end)
        {
            byte tag = der[position];
            int lengthOffset = position + 1;
            int length = der[lengthOffset];
            int header = 2;
            if (length >= 0x80)
            {
                int count = length & 0x7F;
                length = 0;
                for (int i = 0; i < count; i++)
                {
                    length = (length << 8) | der[lengthOffset + 1 + i];
                }

                header += count;
            }

            offsets.Add(lengthOffset);
            if ((tag & 0x20) != 0 && depth < maxDepth)
            {
                Walk(der, position + header, position + header + length, depth + 1, maxDepth, offsets);
            }

            position += header + length;
        }
    }
}
