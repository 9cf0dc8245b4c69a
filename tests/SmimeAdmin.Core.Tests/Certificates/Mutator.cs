using System;
using System.Collections.Generic;

namespace SmimeAdmin.Core.Tests.Certificates;

/// <summary>
/// Deterministic input mutations for the fuzz tests: bit flips, truncations, edits of length and id fields at known
/// header positions, inserted, duplicated and deleted bytes, and appended garbage.
/// </summary>
internal sealed class Mutator
{
    private static readonly uint[] s_interestingLengths = { 0, 1, 2, 11, 12, 13, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF };
    private static readonly uint[] s_interestingIds = { 0, 1, 3, 31, 32, 33, 34, 35, 36, 63, 64, 0xFFFF, 0x10000, 0xFFFFFFFF };

    private readonly Random _random;

    public Mutator(int seed) => _random = new Random(seed);

    public int Next(int maxValue) => _random.Next(maxValue);

    /// <summary>Applies one to three mutations.</summary>
    /// <param name="input">The seed input (not modified).</param>
    /// <param name="uint32Fields">Offsets of little-endian 32-bit length fields (a store's element headers).</param>
    /// <param name="idFields">Offsets of 32-bit id fields.</param>
    /// <param name="asnLengths">Offsets of ASN.1 length octets.</param>
    /// <param name="kinds">What was done, for a failure message.</param>
    public byte[] Mutate(byte[] input, IReadOnlyList<int> uint32Fields, IReadOnlyList<int> idFields, IReadOnlyList<int> asnLengths, out string kinds)
    {
        var data = new List<byte>(input);
        var done = new List<string>();
        int count = 1 + _random.Next(3);
        for (int i = 0; i < count; i++)
        {
            switch (_random.Next(10))
            {
                case 0:
                case 1:
                    int flips = 1 + _random.Next(8);
                    for (int f = 0; f < flips && data.Count > 0; f++)
                    {
                        int at = _random.Next(data.Count);
                        data[at] ^= (byte)(1 << _random.Next(8));
                    }

                    done.Add("flip" + flips);
                    break;
                case 2:
                    int cut = _random.Next(data.Count + 1);
                    data.RemoveRange(cut, data.Count - cut);
                    done.Add("truncate@" + cut);
                    break;
                case 3 when uint32Fields.Count > 0:
                    int field = uint32Fields[_random.Next(uint32Fields.Count)];
                    if (field + 4 <= data.Count)
                    {
                        uint old = (uint)(data[field] | (data[field + 1] << 8) | (data[field + 2] << 16) | (data[field + 3] << 24));
                        uint value = _random.Next(3) switch
                        {
                            0 => s_interestingLengths[_random.Next(s_interestingLengths.Length)],
                            1 => unchecked(old + (uint)(_random.Next(25) - 12)),
                            _ => (uint)_random.Next(),
                        };
                        WriteUInt32(data, field, value);
                        done.Add("length@" + field + "=" + value);
                    }

                    break;
                case 4 when idFields.Count > 0:
                    int idField = idFields[_random.Next(idFields.Count)];
                    if (idField + 4 <= data.Count)
                    {
                        uint id = _random.Next(2) == 0 ? s_interestingIds[_random.Next(s_interestingIds.Length)] : (uint)_random.Next(0x20000);
                        WriteUInt32(data, idField, id);
                        done.Add("id@" + idField + "=" + id);
                    }

                    break;
                case 5 when asnLengths.Count > 0:
                    int asn = asnLengths[_random.Next(asnLengths.Count)];
                    if (asn < data.Count)
                    {
                        byte[] choices = { 0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0x84, 0x85, 0xFF };
                        data[asn] = _random.Next(2) == 0 ? choices[_random.Next(choices.Length)] : (byte)(data[asn] + _random.Next(5) - 2);
                        done.Add("asnlength@" + asn);
                    }

                    break;
                case 6:
                    int insertAt = _random.Next(data.Count + 1);
                    byte[] inserted = RandomBytes(1 + _random.Next(16));
                    data.InsertRange(insertAt, inserted);
                    done.Add("insert@" + insertAt);
                    break;
                case 7:
                    if (data.Count > 0)
                    {
                        int from = _random.Next(data.Count);
                        int length = Math.Min(1 + _random.Next(64), data.Count - from);
                        int to = _random.Next(data.Count + 1);
                        data.InsertRange(to, data.GetRange(from, length));
                        done.Add("duplicate" + length + "@" + to);
                    }

                    break;
                case 8:
                    if (data.Count > 0)
                    {
                        int from = _random.Next(data.Count);
                        int length = Math.Min(1 + _random.Next(32), data.Count - from);
                        data.RemoveRange(from, length);
                        done.Add("delete" + length + "@" + from);
                    }

                    break;
                default:
                    data.AddRange(RandomBytes(1 + _random.Next(64)));
                    done.Add("append");
                    break;
            }
        }

        kinds = string.Join(",", done);
        return data.ToArray();
    }

    private byte[] RandomBytes(int count)
    {
        byte[] bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static void WriteUInt32(List<byte> data, int offset, uint value)
    {
        data[offset] = (byte)value;
        data[offset + 1] = (byte)(value >> 8);
        data[offset + 2] = (byte)(value >> 16);
        data[offset + 3] = (byte)(value >> 24);
    }
}
