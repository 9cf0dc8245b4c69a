using System;
using System.Collections.Generic;
using System.Linq;

namespace SmimeAdmin.Core.Certificates;

/// <summary>
/// Lists of encoded values (certificates, userSMIMECertificate blobs) compared byte for byte, as a directory compares
/// attribute values: the order does not matter.
/// </summary>
internal static class EncodedValues
{
    /// <summary>Whether <paramref name="values"/> holds <paramref name="value"/>, byte for byte.</summary>
    public static bool Contains(IEnumerable<byte[]> values, byte[] value) =>
        values.Any(existing => existing.AsSpan().SequenceEqual(value));

    /// <summary>Adds <paramref name="value"/> unless the list already holds it; true when it was added.</summary>
    public static bool AddDistinct(List<byte[]> values, byte[] value)
    {
        if (Contains(values, value))
        {
            return false;
        }

        values.Add(value);
        return true;
    }

    /// <summary>Whether two lists of distinct values hold the same values, in any order.</summary>
    public static bool SameSet(IReadOnlyCollection<byte[]> left, IReadOnlyCollection<byte[]> right) =>
        left.Count == right.Count && left.All(value => Contains(right, value));
}
