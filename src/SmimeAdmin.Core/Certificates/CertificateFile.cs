using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SmimeAdmin.Core.Certificates;

/// <summary>
/// Reads certificate files in any of the forms Windows, OpenSSL and Exchange use, telling them apart by their content,
/// and writes PEM and PKCS #7 bundles.
/// </summary>
/// <remarks>
/// Accepted: a Windows serialized store (<c>.sst</c>); PEM text with <c>CERTIFICATE</c> and <c>PKCS7</c> blocks;
/// one DER X.509 certificate (<c>.cer</c>, <c>.crt</c>); a PKCS #7 SignedData (<c>.p7b</c>, <c>.p7c</c>) in DER or
/// PEM. Other PEM blocks, private keys among them, are refused rather than skipped, so a key is never taken in by
/// accident. The file name plays no part: a <c>.cer</c> holding PEM text is read as PEM.
/// </remarks>
public static class CertificateFile
{
    private const byte Sequence = 0x30;

    /// <summary>Reads every certificate of a file.</summary>
    /// <param name="data">The file content.</param>
    /// <returns>
    /// The detected format and the DER certificates, in file order. PEM text whose blocks are all PKCS7 is reported as
    /// <see cref="CertificateFileFormat.Pkcs7"/>; any other PEM text as <see cref="CertificateFileFormat.Pem"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    /// <exception cref="CertificateFormatException">
    /// The data is empty, in none of the accepted formats, or malformed in the format it appears to be; the message
    /// names the byte offset and what was expected there.
    /// </exception>
    public static CertificateFileContent Read(byte[] data)
    {
        if (data is null)
        {
            throw new ArgumentNullException(nameof(data));
        }

        if (data.Length == 0)
        {
            throw new CertificateFormatException(
                0,
                string.Format(CultureInfo.CurrentCulture, Strings.CertificateFileEmpty, Strings.CertificateFileAcceptedFormats));
        }

        if (SerializedCertificateStore.IsSerializedStore(data))
        {
            return new CertificateFileContent(CertificateFileFormat.SerializedStore, SerializedCertificateStore.Read(data));
        }

        if (data[0] == Sequence && SpansWholeInput(data))
        {
            return ReadDer(data);
        }

        byte[] text = PemText.ToSingleByteText(data, out int offsetBase, out int offsetScale);
        if (PemText.HasBeginMarker(text))
        {
            return ReadPem(text, offsetBase, offsetScale);
        }

        if (data[0] == Sequence)
        {
            // Not a whole DER element and not PEM: report the DER error, which names the offset at fault.
            return ReadDer(data);
        }

        throw new CertificateFormatException(
            0,
            string.Format(CultureInfo.CurrentCulture, Strings.CertificateFileUnknown, Strings.CertificateFileAcceptedFormats));
    }

    /// <summary>Writes certificates as PEM text: one CERTIFICATE block each, 64-character lines, LF line ends, ASCII.</summary>
    /// <param name="certificates">The DER certificates, in the order to write them.</param>
    /// <returns>The text, as ASCII bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="certificates"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An item is <see langword="null"/> or not an X.509 certificate.</exception>
    public static byte[] WritePem(IEnumerable<byte[]> certificates)
    {
        List<byte[]> list = CertificateDer.CheckForWrite(certificates, nameof(certificates));
        var builder = new StringBuilder();
        foreach (byte[] certificate in list)
        {
            PemText.AppendBlock(builder, PemText.CertificateLabel, certificate);
        }

        return Encoding.ASCII.GetBytes(builder.ToString());
    }

    /// <summary>Writes certificates as a DER PKCS #7 certs-only SignedData (a binary <c>.p7b</c>).</summary>
    /// <param name="certificates">The DER certificates.</param>
    /// <returns>
    /// The DER ContentInfo, which Windows imports and <c>openssl pkcs7 -inform DER -print_certs</c> lists. As DER
    /// requires, the certificates are ordered by their encodings, not in the order given.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="certificates"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An item is <see langword="null"/> or not an X.509 certificate.</exception>
    public static byte[] WritePkcs7(IEnumerable<byte[]> certificates)
    {
        List<byte[]> list = CertificateDer.CheckForWrite(certificates, nameof(certificates));
        return Pkcs7Certificates.Write(list);
    }

    private static bool SpansWholeInput(byte[] data)
    {
        try
        {
            return Asn1Element.Read(data, 0, data.Length, 0).End == data.Length;
        }
        catch (CertificateFormatException)
        {
            return false;
        }
    }

    private static CertificateFileContent ReadDer(byte[] data)
    {
        Asn1Element outer = Asn1Element.Read(data, 0, data.Length, 0);
        if (outer.End != data.Length)
        {
            throw new CertificateFormatException(
                outer.End,
                string.Format(CultureInfo.CurrentCulture, Strings.Asn1TrailingBytes, data.Length - outer.End));
        }

        if (Pkcs7Certificates.LooksLikeContentInfo(data))
        {
            return new CertificateFileContent(CertificateFileFormat.Pkcs7, Pkcs7Certificates.Read(data).AsReadOnly());
        }

        byte[] certificate = (byte[])data.Clone();
        CertificateDer.Parse(certificate, 0);
        return new CertificateFileContent(CertificateFileFormat.Der, new[] { certificate });
    }

    private static CertificateFileContent ReadPem(byte[] text, int offsetBase, int offsetScale)
    {
        var certificates = new List<byte[]>();
        bool onlyPkcs7 = true;
        foreach (PemBlock block in PemText.ReadBlocks(text, offsetBase, offsetScale))
        {
            try
            {
                if (block.Label == PemText.Pkcs7Label)
                {
                    certificates.AddRange(Pkcs7Certificates.Read(block.Content));
                }
                else
                {
                    onlyPkcs7 = false;
                    CertificateDer.Parse(block.Content, 0);
                    certificates.Add(block.Content);
                }
            }
            catch (CertificateFormatException ex)
            {
                // Offsets inside Base64-decoded content do not map to the input; name the block and the inner offset.
                throw new CertificateFormatException(
                    block.Offset,
                    string.Format(CultureInfo.CurrentCulture, Strings.PemBlockContentInvalid, block.Label, ex.Offset, ex.Reason),
                    ex);
            }
        }

        return new CertificateFileContent(
            onlyPkcs7 ? CertificateFileFormat.Pkcs7 : CertificateFileFormat.Pem,
            certificates.AsReadOnly());
    }
}
