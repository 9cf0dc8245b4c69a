using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Smime;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Math;
using SmimeAdmin.Core.Certificates;
using BcAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Publishing;

/// <summary>Reads <c>userSMIMECertificate</c> values: DER CMS SignedData blobs, signed or certs-only.</summary>
public static class UserSmimeCertificateReader
{
    /// <summary>Reads the certificates a blob carries, with their exact bytes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="blob"/> is <see langword="null"/>.</exception>
    /// <exception cref="CertificateFormatException">The blob is not a SignedData, or a certificate in it is malformed.</exception>
    public static IReadOnlyList<byte[]> ReadCertificates(byte[] blob) =>
        Pkcs7Certificates.Read(blob ?? throw new ArgumentNullException(nameof(blob))).AsReadOnly();

    /// <summary>Reads a blob's certificates and, when it is signed, its first signer's attributes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="blob"/> is <see langword="null"/>.</exception>
    /// <exception cref="CertificateFormatException">The blob is not a SignedData, or part of it is malformed.</exception>
    public static UserSmimeCertificateInfo Read(byte[] blob)
    {
        IReadOnlyList<byte[]> certificates = ReadCertificates(blob);
        return Decode(blob, data =>
        {
            SignerInformation? signer = data.GetSignerInfos().GetSigners().FirstOrDefault();
            if (signer is null)
            {
                return new UserSmimeCertificateInfo(certificates, null, null, null, Array.Empty<UserSmimeCapability>(), null, isSigned: false);
            }

            AttributeTable? attributes = signer.SignedAttributes;
            BcAttribute? preference = attributes?[SmimeAttributes.EncrypKeyPref];
            BcAttribute? microsoftPreference = attributes?[UserSmimeCertificateBuilder.MicrosoftEncryptionKeyPreference];
            IssuerAndSerialNumber? encryption = preference is not null
                ? IssuerAndSerialNumber.GetInstance(Asn1TaggedObject.GetInstance(preference.AttrValues[0]), false)
                : microsoftPreference is not null ? IssuerAndSerialNumber.GetInstance(microsoftPreference.AttrValues[0]) : null;
            BcAttribute? signingTime = attributes?[CmsAttributes.SigningTime];
            return new UserSmimeCertificateInfo(
                certificates,
                Find(certificates, signer.SignerID.Issuer, signer.SignerID.SerialNumber),
                signer.DigestAlgorithmID.Algorithm.Id,
                signingTime is null ? null : Time.GetInstance(signingTime.AttrValues[0]).ToDateTime().ToUniversalTime(),
                ReadCapabilities(attributes?[SmimeAttributes.SmimeCapabilities]),
                encryption is null ? null : Find(certificates, encryption.Issuer, encryption.SerialNumber.Value),
                isSigned: true);
        });
    }

    /// <summary>
    /// Whether the blob is signed and every signature verifies with the signer's certificate in the blob. The content
    /// is empty and detached (see <see cref="UserSmimeCertificateBuilder"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="blob"/> is <see langword="null"/>.</exception>
    /// <exception cref="CertificateFormatException">The blob is not a SignedData.</exception>
    public static bool VerifySignature(byte[] blob)
    {
        IReadOnlyList<byte[]> certificates = ReadCertificates(blob);
        return Decode(blob, data =>
        {
            if (data.SignedContent is null)
            {
                data = new CmsSignedData(new CmsProcessableByteArray(Array.Empty<byte>()), blob);
            }

            var signers = data.GetSignerInfos().GetSigners().ToList();
            return signers.Count > 0 && signers.All(signer =>
                Find(certificates, signer.SignerID.Issuer, signer.SignerID.SerialNumber) is byte[] certificate
                && Verify(signer, CertificateDer.Parse(certificate, 0)));
        });
    }

    // BouncyCastle reports some mismatches (a wrong messageDigest, say) by throwing rather than returning false.
    private static bool Verify(SignerInformation signer, BcX509Certificate certificate)
    {
        try
        {
            return signer.Verify(certificate);
        }
        catch (CmsException)
        {
            return false;
        }
    }

    private static IReadOnlyList<UserSmimeCapability> ReadCapabilities(BcAttribute? attribute)
    {
        if (attribute is null)
        {
            return Array.Empty<UserSmimeCapability>();
        }

        var capabilities = new List<UserSmimeCapability>();
        foreach (Asn1Encodable element in Asn1Sequence.GetInstance(attribute.AttrValues[0]))
        {
            SmimeCapability capability = SmimeCapability.GetInstance(element);
            int? keyLength = capability.Parameters is DerInteger integer ? integer.IntValueExact : null;
            capabilities.Add(new UserSmimeCapability(capability.CapabilityID.Id, keyLength));
        }

        return capabilities;
    }

    private static byte[]? Find(IReadOnlyList<byte[]> certificates, Org.BouncyCastle.Asn1.X509.X509Name? issuer, BigInteger? serialNumber)
    {
        if (issuer is null || serialNumber is null)
        {
            return null;
        }

        return certificates.FirstOrDefault(certificate =>
        {
            BcX509Certificate parsed = CertificateDer.Parse(certificate, 0);
            return parsed.SerialNumber.Equals(serialNumber) && parsed.IssuerDN.Equivalent(issuer);
        });
    }

    // BouncyCastle reports malformed CMS with many exception types; report them all as a format error.
    private static T Decode<T>(byte[] blob, Func<CmsSignedData, T> read)
    {
        try
        {
            return read(new CmsSignedData(blob));
        }
        catch (Exception ex) when (ex is not CertificateFormatException && CertificateDer.IsDecodingFailure(ex))
        {
            throw new CertificateFormatException(
                0,
                string.Format(CultureInfo.CurrentCulture, Strings.UserSmimeCertificateInvalid, ex.Message),
                ex);
        }
    }
}
