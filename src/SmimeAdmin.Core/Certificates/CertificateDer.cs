using System;
using System.Collections.Generic;
using System.Globalization;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Certificates;

/// <summary>The one place that decides whether bytes are an X.509 certificate, so every reader agrees.</summary>
internal static class CertificateDer
{
    // A certificate goes through several hands on its way to the store (the file reader, the validator, the draft's
    // check), and each would decode it again. The last ones decoded are kept, about as many as the batches of a bulk
    // publish hold at once: a larger set outlives young garbage collections and costs more than the decodes it saves
    // (measured with bench/Invoke-ValidationBenchmark.ps1 and Invoke-LdapBenchmark.ps1).
    private static readonly DecodedCertificateCache s_decoded = new(capacity: 256);

    /// <summary>Parses a certificate with BouncyCastle, the same way on every platform.</summary>
    /// <param name="der">The encoded certificate, exactly (no trailing bytes).</param>
    /// <param name="reportOffset">The offset of <paramref name="der"/> in the caller's input, for the error.</param>
    /// <exception cref="CertificateFormatException">The bytes are not a certificate.</exception>
    public static BcX509Certificate Parse(byte[] der, long reportOffset)
    {
        if (s_decoded.TryGet(der, out BcX509Certificate? decoded))
        {
            return decoded;
        }

        BcX509Certificate certificate = Decode(der, reportOffset);
        s_decoded.Add(der, certificate);
        return certificate;
    }

    private static BcX509Certificate Decode(byte[] der, long reportOffset)
    {
        BouncyCastleProperties.PinForThisThread();
        if (der.Length == 0 || der[0] != 0x30)
        {
            throw new CertificateFormatException(
                reportOffset,
                string.Format(CultureInfo.CurrentCulture, Strings.CertificateNotX509, Strings.CertificateNotSequence));
        }

        try
        {
            // The BouncyCastle constructor also decodes basicConstraints and keyUsage, so a certificate accepted
            // here is one SmimeCaCertificate.Parse accepts too.
            return new BcX509Certificate(X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(der)));
        }
        catch (Exception ex) when (IsDecodingFailure(ex))
        {
            throw new CertificateFormatException(
                reportOffset,
                string.Format(CultureInfo.CurrentCulture, Strings.CertificateNotX509, ex.Message),
                ex);
        }
    }

    /// <summary>
    /// Whether an exception from BouncyCastle's decoders means "malformed input". They throw a wide range of types
    /// (IOException, ArgumentException, InvalidCastException, FormatException, IndexOutOfRangeException, ...) for
    /// bad data, so everything except resource exhaustion counts.
    /// </summary>
    public static bool IsDecodingFailure(Exception exception) =>
        exception is not OutOfMemoryException and not InsufficientExecutionStackException;

    /// <summary>Checks the items handed to a writer: none null, each a certificate.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="certificates"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An item is <see langword="null"/> or not a certificate.</exception>
    public static List<byte[]> CheckForWrite(IEnumerable<byte[]> certificates, string parameterName)
    {
        if (certificates is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        var list = new List<byte[]>(certificates);
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException(
                    string.Format(CultureInfo.CurrentCulture, Strings.CertificateWriteItemNull, i),
                    parameterName);
            }

            try
            {
                Parse(list[i], 0);
            }
            catch (CertificateFormatException ex)
            {
                throw new ArgumentException(
                    string.Format(CultureInfo.CurrentCulture, Strings.CertificateWriteItemNotCertificate, i, ex.Reason),
                    parameterName,
                    ex);
            }
        }

        return list;
    }
}
