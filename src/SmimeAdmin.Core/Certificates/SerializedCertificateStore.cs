using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;

namespace SmimeAdmin.Core.Certificates;

/// <summary>
/// Reads and writes the Windows serialized certificate store format (<c>.sst</c>), the file
/// <c>Export-Certificate -Type SST</c> and <c>certutil -generateSSTFromWU</c> write and Exchange's
/// <c>Set-SmimeConfig -SMIMECertificateIssuingCA</c> takes.
/// </summary>
/// <remarks>
/// <para>
/// The file is an 8-byte header (version 0, then the magic <c>CERT</c>), a list of elements and a 12-byte end marker.
/// Each element is an id, an encoding type and a length (little-endian 32-bit each) followed by the value.
/// Certificate elements (id 32) carry a DER certificate; the property elements that precede one describe it.
/// </para>
/// <para>
/// Windows' own properties (friendly name, hashes, root-program data) are not kept: a reader should ignore them, and
/// the SHA-1 hash a file claims is never trusted in place of one computed from the certificate.
/// </para>
/// </remarks>
public static class SerializedCertificateStore
{
    internal const int HeaderLength = 8;
    internal const int ElementHeaderLength = 12;
    internal const uint CertificateElementId = 32;
    internal const uint Sha1HashPropertyId = 3;

    private const uint X509AsnEncoding = 1;
    private const uint LastKnownElementId = 35;
    private const uint LastReservedElementId = 63;
    private const uint LastPropertyId = 0xFFFF;
    private const int Sha1Length = 20;

    [ThreadStatic]
    private static SHA1? t_sha1;

    /// <summary>Whether the data starts like a serialized certificate store: version 0, then the magic <c>CERT</c>.</summary>
    /// <param name="data">The file content.</param>
    /// <returns><see langword="true"/> when the first 8 bytes are the store header.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    public static bool IsSerializedStore(byte[] data)
    {
        if (data is null)
        {
            throw new ArgumentNullException(nameof(data));
        }

        return data.Length >= HeaderLength && ReadUInt32(data, 0) == 0 && HasMagic(data);
    }

    /// <summary>Reads every certificate of a store, in file order.</summary>
    /// <param name="data">The file content. Zero bytes is read as an empty store, as Windows and Wine do.</param>
    /// <returns>
    /// The DER encoding of each certificate element, in file order. Duplicates are kept. Property elements and
    /// CRL, CTL and key-identifier elements (ids 33 to 35) are passed over.
    /// </returns>
    /// <remarks>
    /// Every declared length is checked against the bytes that remain before anything is allocated, so a hostile
    /// file costs at most a small multiple of its own size. Error offsets name the field at fault: 0 for the version,
    /// 4 for the magic, an element's first byte for a bad element id, its length field for a bad length, its value
    /// for a value that is not a certificate, and the end of the data when the end marker is missing.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="CertificateFormatException">
    /// The data is not a well-formed store: the header is truncated or wrong, an element is truncated or runs past the
    /// end, an element id is reserved or out of range, a certificate element is empty or not an X.509 certificate, or
    /// the end marker is missing, malformed or followed by more bytes.
    /// </exception>
    public static IReadOnlyList<byte[]> Read(byte[] data)
    {
        if (data is null)
        {
            throw new ArgumentNullException(nameof(data));
        }

        var certificates = new List<byte[]>();
        if (data.Length == 0)
        {
            return certificates.AsReadOnly();
        }

        if (data.Length < HeaderLength)
        {
            throw new CertificateFormatException(
                0,
                string.Format(CultureInfo.CurrentCulture, Strings.SstTruncatedHeader, data.Length));
        }

        uint version = ReadUInt32(data, 0);
        if (version != 0)
        {
            throw new CertificateFormatException(
                0,
                string.Format(CultureInfo.CurrentCulture, Strings.SstWrongVersion, version));
        }

        if (!HasMagic(data))
        {
            throw new CertificateFormatException(
                4,
                string.Format(CultureInfo.CurrentCulture, Strings.SstWrongMagic, BitConverter.ToString(data, 4, 4)));
        }

        int position = HeaderLength;
        while (true)
        {
            int remaining = data.Length - position;
            if (remaining == 0)
            {
                throw new CertificateFormatException(position, Strings.SstMissingEndMarker);
            }

            if (remaining < ElementHeaderLength)
            {
                throw new CertificateFormatException(
                    position,
                    string.Format(CultureInfo.CurrentCulture, Strings.SstTruncatedElement, remaining));
            }

            uint id = ReadUInt32(data, position);
            uint encodingType = ReadUInt32(data, position + 4);
            uint length = ReadUInt32(data, position + 8);
            if (id == 0)
            {
                if (encodingType != 0 || length != 0)
                {
                    throw new CertificateFormatException(
                        position,
                        string.Format(CultureInfo.CurrentCulture, Strings.SstBadEndMarker, encodingType, length));
                }

                int end = position + ElementHeaderLength;
                if (end != data.Length)
                {
                    throw new CertificateFormatException(
                        end,
                        string.Format(CultureInfo.CurrentCulture, Strings.SstTrailingBytes, data.Length - end));
                }

                return certificates.AsReadOnly();
            }

            if (id > LastKnownElementId && id <= LastReservedElementId)
            {
                throw new CertificateFormatException(
                    position,
                    string.Format(CultureInfo.CurrentCulture, Strings.SstReservedElementId, id));
            }

            if (id > LastPropertyId)
            {
                throw new CertificateFormatException(
                    position,
                    string.Format(CultureInfo.CurrentCulture, Strings.SstElementIdOutOfRange, id));
            }

            int valueOffset = position + ElementHeaderLength;
            long available = data.Length - valueOffset;
            if (length > available)
            {
                throw new CertificateFormatException(
                    position + 8,
                    string.Format(CultureInfo.CurrentCulture, Strings.SstLengthPastEnd, id, length, available));
            }

            if (id == CertificateElementId)
            {
                if (length == 0)
                {
                    throw new CertificateFormatException(position + 8, Strings.SstEmptyCertificate);
                }

                byte[] certificate = new byte[length];
                Buffer.BlockCopy(data, valueOffset, certificate, 0, (int)length);
                CertificateDer.Parse(certificate, valueOffset);
                certificates.Add(certificate);
            }

            position = valueOffset + (int)length;
        }
    }

    /// <summary>Writes certificates as a serialized certificate store.</summary>
    /// <param name="certificates">The DER certificates, in the order to write them.</param>
    /// <returns>
    /// The file content: the header, then for each certificate its SHA-1 hash property (id 3) and the certificate
    /// element (id 32), then the end marker. Windows reads it with <c>Import-Certificate</c> and the certificate MMC.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="certificates"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An item is <see langword="null"/> or not an X.509 certificate.</exception>
    public static byte[] Write(IEnumerable<byte[]> certificates)
    {
        List<byte[]> list = CertificateDer.CheckForWrite(certificates, nameof(certificates));
        long size = HeaderLength + ElementHeaderLength;
        foreach (byte[] certificate in list)
        {
            size += (2 * ElementHeaderLength) + Sha1Length + certificate.Length;
        }

        using var buffer = new MemoryStream(checked((int)size));
        WriteUInt32(buffer, 0);
        buffer.Write(new byte[] { (byte)'C', (byte)'E', (byte)'R', (byte)'T' }, 0, 4);
        foreach (byte[] certificate in list)
        {
            WriteElement(buffer, Sha1HashPropertyId, X509AsnEncoding, Sha1(certificate));
            WriteElement(buffer, CertificateElementId, X509AsnEncoding, certificate);
        }

        buffer.Write(new byte[ElementHeaderLength], 0, ElementHeaderLength);
        return buffer.ToArray();
    }

    /// <summary>The SHA-1 hash Windows uses as a certificate's thumbprint (an identifier, not a security measure).</summary>
    internal static byte[] Sha1(byte[] data)
    {
        // The platform's implementation is an order of magnitude faster than a managed one on large stores. One
        // instance per thread: each new one holds a native context with a finalizer, which a bulk publish (several
        // thumbprints per certificate) would otherwise pay for in garbage collection.
#pragma warning disable CA5350 // SHA-1 is what the format and Windows' thumbprints are defined with.
        t_sha1 ??= SHA1.Create();
#pragma warning restore CA5350
        return t_sha1.ComputeHash(data);
    }

    private static bool HasMagic(byte[] data) =>
        data[4] == (byte)'C' && data[5] == (byte)'E' && data[6] == (byte)'R' && data[7] == (byte)'T';

    private static uint ReadUInt32(byte[] data, int offset) =>
        data[offset] | ((uint)data[offset + 1] << 8) | ((uint)data[offset + 2] << 16) | ((uint)data[offset + 3] << 24);

    private static void WriteElement(Stream stream, uint id, uint encodingType, byte[] value)
    {
        WriteUInt32(stream, id);
        WriteUInt32(stream, encodingType);
        WriteUInt32(stream, (uint)value.Length);
        stream.Write(value, 0, value.Length);
    }

    private static void WriteUInt32(Stream stream, uint value)
    {
        stream.WriteByte((byte)value);
        stream.WriteByte((byte)(value >> 8));
        stream.WriteByte((byte)(value >> 16));
        stream.WriteByte((byte)(value >> 24));
    }
}
