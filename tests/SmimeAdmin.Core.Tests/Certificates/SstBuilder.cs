using System;
using System.Collections.Generic;

namespace SmimeAdmin.Core.Tests.Certificates;

/// <summary>Builds serialized-store bytes element by element, including malformed ones, independently of the reader.</summary>
internal sealed class SstBuilder
{
    private readonly List<byte> _buffer = new();

    public SstBuilder(uint version = 0, string magic = "CERT")
    {
        UInt32(version);
        foreach (char c in magic)
        {
            _buffer.Add((byte)c);
        }
    }

    /// <summary>The offset the next element will start at.</summary>
    public int Position => _buffer.Count;

    public SstBuilder Element(uint id, byte[] value, uint encodingType = 1, uint? declaredLength = null)
    {
        UInt32(id);
        UInt32(encodingType);
        UInt32(declaredLength ?? (uint)value.Length);
        _buffer.AddRange(value);
        return this;
    }

    public SstBuilder Certificate(byte[] der) => Element(32, der);

    public SstBuilder End() => Raw(new byte[12]);

    public SstBuilder Raw(params byte[] bytes)
    {
        _buffer.AddRange(bytes);
        return this;
    }

    public byte[] ToArray() => _buffer.ToArray();

    private void UInt32(uint value)
    {
        _buffer.Add((byte)value);
        _buffer.Add((byte)(value >> 8));
        _buffer.Add((byte)(value >> 16));
        _buffer.Add((byte)(value >> 24));
    }
}

/// <summary>One element of a store file, as the tests' own walker sees it.</summary>
internal readonly record struct SstElement(int Offset, uint Id, uint EncodingType, int ValueOffset, int Length);

/// <summary>A minimal walker over well-formed store files, for checks that must not rely on the code under test.</summary>
internal static class SstWalker
{
    public static List<SstElement> Elements(byte[] data)
    {
        var elements = new List<SstElement>();
        int position = 8;
        while (true)
        {
            uint id = BitConverter.ToUInt32(data, position);
            uint encodingType = BitConverter.ToUInt32(data, position + 4);
            int length = checked((int)BitConverter.ToUInt32(data, position + 8));
            elements.Add(new SstElement(position, id, encodingType, position + 12, length));
            if (id == 0)
            {
                return elements;
            }

            position += 12 + length;
        }
    }
}
