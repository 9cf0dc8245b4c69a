using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace SmimeAdmin.Core.Certificates;

/// <summary>
/// Reads the certificates out of a PKCS #7 / CMS SignedData (RFC 5652) and writes a certs-only SignedData, the
/// <c>.p7b</c>/<c>.p7c</c> form Windows, OpenSSL and Exchange exchange certificate bundles in.
/// </summary>
/// <remarks>
/// The container is walked with <see cref="Asn1Element"/> rather than decoded into an object tree: the certificates
/// come out with their exact original bytes (a re-encoded certificate could change its thumbprint), and every error
/// names its byte offset. Each certificate is then parsed by BouncyCastle like any other.
/// </remarks>
internal static class Pkcs7Certificates
{
    // 1.2.840.113549.1.7.2 (signedData) and 1.2.840.113549.1.7.1 (data), as OBJECT IDENTIFIER content octets.
    private static readonly byte[] s_signedDataOid = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02 };
    private static readonly byte[] s_dataOid = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01 };

    private const byte Sequence = 0x30;
    private const byte Set = 0x31;
    private const byte Integer = 0x02;
    private const byte ObjectIdentifier = 0x06;
    private const byte ContextConstructed0 = 0xA0;
    private const byte ContextConstructed1 = 0xA1;

    /// <summary>Whether the data is a SEQUENCE whose first element is an OBJECT IDENTIFIER (a ContentInfo).</summary>
    public static bool LooksLikeContentInfo(byte[] data)
    {
        try
        {
            Asn1Element outer = Asn1Element.Read(data, 0, data.Length, 0);
            return outer.Tag == Sequence
                && outer.ContentLength > 0
                && data[outer.ContentOffset] == ObjectIdentifier;
        }
        catch (CertificateFormatException)
        {
            return false;
        }
    }

    /// <summary>Reads the certificates of a ContentInfo that holds a SignedData.</summary>
    /// <param name="data">The DER (or BER) ContentInfo, with nothing after it.</param>
    /// <returns>
    /// The certificates in their order in the SET. Other certificate choices (attribute certificates, extended
    /// certificates) are passed over, as are CRLs and signer infos.
    /// </returns>
    /// <exception cref="CertificateFormatException">The data is not a SignedData, or a certificate is malformed.</exception>
    public static List<byte[]> Read(byte[] data)
    {
        Asn1Element contentInfo = Asn1Element.Read(data, 0, data.Length, 0, Sequence, Strings.Pkcs7ExpectedContentInfo);
        ExpectEnd(contentInfo.End, data.Length);

        int position = contentInfo.ContentOffset;
        int limit = contentInfo.ContentEnd;
        Asn1Element contentType = Asn1Element.Read(data, position, limit, 0, ObjectIdentifier, Strings.Pkcs7ExpectedContentType);
        if (!ContentEquals(data, contentType, s_signedDataOid))
        {
            throw new CertificateFormatException(
                contentType.Offset,
                string.Format(CultureInfo.CurrentCulture, Strings.Pkcs7NotSignedData, DescribeOid(data, contentType)));
        }

        Asn1Element explicitContent = Asn1Element.Read(data, contentType.End, limit, 0, ContextConstructed0, Strings.Pkcs7ExpectedContent);
        ExpectEnd(explicitContent.End, limit);

        Asn1Element signedData = Asn1Element.Read(
            data, explicitContent.ContentOffset, explicitContent.ContentEnd, 0, Sequence, Strings.Pkcs7ExpectedSignedData);
        ExpectEnd(signedData.End, explicitContent.ContentEnd);

        limit = signedData.ContentEnd;
        position = Asn1Element.Read(data, signedData.ContentOffset, limit, 0, Integer, Strings.Pkcs7ExpectedVersion).End;
        position = Asn1Element.Read(data, position, limit, 0, Set, Strings.Pkcs7ExpectedDigestAlgorithms).End;
        position = Asn1Element.Read(data, position, limit, 0, Sequence, Strings.Pkcs7ExpectedEncapsulatedContent).End;

        var certificates = new List<byte[]>();
        if (position < limit && data[position] == ContextConstructed0)
        {
            Asn1Element set = Asn1Element.Read(data, position, limit, 0);
            for (int item = set.ContentOffset; item < set.ContentEnd;)
            {
                Asn1Element choice = Asn1Element.Read(data, item, set.ContentEnd, 0);
                if (choice.Tag == Sequence)
                {
                    byte[] certificate = new byte[choice.Length];
                    Buffer.BlockCopy(data, choice.Offset, certificate, 0, choice.Length);
                    CertificateDer.Parse(certificate, choice.Offset);
                    certificates.Add(certificate);
                }

                item = choice.End;
            }

            position = set.End;
        }

        if (position < limit && data[position] == ContextConstructed1)
        {
            position = Asn1Element.Read(data, position, limit, 0).End;
        }

        position = Asn1Element.Read(data, position, limit, 0, Set, Strings.Pkcs7ExpectedSignerInfos).End;
        ExpectEnd(position, limit);
        return certificates;
    }

    /// <summary>Writes a DER certs-only SignedData: no content, no signers, the certificates and nothing else.</summary>
    /// <remarks>
    /// DER orders the members of a SET OF by their encodings, so the certificates come out in that order rather than
    /// the order given (OpenSSL does the same). A bundle carries no order; a chain is rebuilt from names and keys.
    /// </remarks>
    public static byte[] Write(IReadOnlyList<byte[]> certificates)
    {
        byte[] emptySet = DerWriter.Element(Set);
        byte[] signedData = DerWriter.Element(
            Sequence,
            DerWriter.Element(Integer, new byte[] { 1 }),
            emptySet,
            DerWriter.Element(Sequence, DerWriter.Element(ObjectIdentifier, s_dataOid)),
            DerWriter.SetOf(ContextConstructed0, certificates),
            emptySet);
        return DerWriter.Element(Sequence, DerWriter.Element(ObjectIdentifier, s_signedDataOid), DerWriter.Element(ContextConstructed0, signedData));
    }

    private static void ExpectEnd(int position, int limit)
    {
        if (position != limit)
        {
            throw new CertificateFormatException(
                position,
                string.Format(CultureInfo.CurrentCulture, Strings.Asn1TrailingBytes, limit - position));
        }
    }

    private static bool ContentEquals(byte[] data, Asn1Element element, byte[] expected)
    {
        if (element.ContentLength != expected.Length)
        {
            return false;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (data[element.ContentOffset + i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string DescribeOid(byte[] data, Asn1Element oid)
    {
        byte[] encoded = new byte[oid.Length];
        Buffer.BlockCopy(data, oid.Offset, encoded, 0, oid.Length);
        try
        {
            return Org.BouncyCastle.Asn1.DerObjectIdentifier.GetInstance(encoded).Id;
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            return BitConverter.ToString(encoded);
        }
    }
}
