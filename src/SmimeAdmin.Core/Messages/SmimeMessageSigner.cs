using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Publishing;

namespace SmimeAdmin.Core.Messages;

/// <summary>
/// The sender's signing key and certificate, with the other certificates that came with them (the sender's encryption
/// certificate and CA certificates), for <see cref="SmimeMessageProtector"/>.
/// </summary>
/// <remarks>The key lives only in memory; nothing in SmimeAdmin writes it anywhere.</remarks>
public sealed class SmimeMessageSigner
{
    private SmimeMessageSigner(SmimeSigningKey key, IEnumerable<byte[]> userCertificates, IEnumerable<byte[]> chainCertificates)
    {
        Key = key;
        OtherUserCertificates = userCertificates.Where(certificate => !certificate.AsSpan().SequenceEqual(key.Certificate)).ToArray();
        ChainCertificates = chainCertificates.ToArray();
    }

    /// <summary>The SHA-1 thumbprint of the signing certificate.</summary>
    public string CertificateThumbprint => Key.CertificateThumbprint;

    internal SmimeSigningKey Key { get; }

    /// <summary>The sender's other certificates (the encryption certificate, typically).</summary>
    internal IReadOnlyList<byte[]> OtherUserCertificates { get; }

    /// <summary>CA certificates that came with the key; they may complete the chain, never anchor it.</summary>
    internal IReadOnlyList<byte[]> ChainCertificates { get; }

    /// <summary>Reads the signing key from a PKCS #12 (.pfx) file.</summary>
    /// <param name="content">The file content.</param>
    /// <param name="password">The password; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is <see langword="null"/>.</exception>
    /// <exception cref="CertificatePasswordException">The file does not open with the password.</exception>
    /// <exception cref="CertificateFormatException">The file is not a usable PKCS #12 file.</exception>
    /// <exception cref="SmimeMessageException">The file holds no private key of a user certificate (<see cref="SmimeMessageErrorCode.SignerRequired"/>).</exception>
    public static SmimeMessageSigner FromPkcs12(byte[] content, string? password)
    {
        UserCertificateFileContent file = UserCertificateFile.Read(content, password);
        if (file.SigningKey is null)
        {
            throw new SmimeMessageException(SmimeMessageErrorCode.SignerRequired, null, Strings.MessageSignerNoKey);
        }

        return new SmimeMessageSigner(file.SigningKey, file.UserCertificates, file.ChainCertificates);
    }

    /// <summary>Takes the signing key from a certificate that has one (from Get-PfxCertificate or a certificate store).</summary>
    /// <param name="certificate">The signing certificate with its private key.</param>
    /// <param name="extraCertificates">Further certificates to offer (the sender's encryption certificate, CA certificates); may be <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="certificate"/> is <see langword="null"/>.</exception>
    /// <exception cref="SmimeMessageException">
    /// The certificate has no private key (<see cref="SmimeMessageErrorCode.SignerRequired"/>), or the key cannot be
    /// exported or is neither RSA nor EC (<see cref="SmimeMessageErrorCode.SignerKeyUnusable"/>).
    /// </exception>
    public static SmimeMessageSigner FromCertificate(X509Certificate2 certificate, IEnumerable<X509Certificate2>? extraCertificates)
    {
        if (certificate is null)
        {
            throw new ArgumentNullException(nameof(certificate));
        }

        if (!certificate.HasPrivateKey)
        {
            throw new SmimeMessageException(
                SmimeMessageErrorCode.SignerRequired,
                certificate.Thumbprint,
                string.Format(CultureInfo.CurrentCulture, Strings.MessageSignerCertificateNoKey, certificate.Subject, certificate.Thumbprint));
        }

        AsymmetricKeyParameter key = ExportKey(certificate);
        var signingKey = new SmimeSigningKey(key, certificate.RawData);
        var users = new List<byte[]>();
        var chain = new List<byte[]>();
        foreach (X509Certificate2 extra in extraCertificates ?? Array.Empty<X509Certificate2>())
        {
            bool authority = UserCertificateFile.IsCertificateAuthority(CertificateDer.Parse(extra.RawData, 0));
            (authority ? chain : users).Add(extra.RawData);
        }

        return new SmimeMessageSigner(signingKey, users, chain);
    }

    private static AsymmetricKeyParameter ExportKey(X509Certificate2 certificate)
    {
        try
        {
            using RSA? rsa = certificate.GetRSAPrivateKey();
            if (rsa is not null)
            {
                return DotNetUtilities.GetRsaKeyPair(rsa.ExportParameters(includePrivateParameters: true)).Private;
            }

            using ECDsa? ec = certificate.GetECDsaPrivateKey();
            if (ec is not null)
            {
                ECParameters parameters = ec.ExportParameters(includePrivateParameters: true);
                string? curveOid = parameters.Curve.Oid?.Value;
                X9ECParameters? curve = curveOid is null ? null : ECNamedCurveTable.GetByOid(new DerObjectIdentifier(curveOid));
                if (curve is null)
                {
                    throw new NotSupportedException(parameters.Curve.Oid?.FriendlyName ?? "explicit curve");
                }

                var domain = new ECNamedDomainParameters(new DerObjectIdentifier(curveOid), curve);
                return new ECPrivateKeyParameters("EC", new BigInteger(1, parameters.D), domain);
            }
        }
        catch (Exception ex) when (ex is CryptographicException or NotSupportedException or PlatformNotSupportedException)
        {
            throw Unusable(certificate, ex.Message, ex);
        }

        throw Unusable(certificate, certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value, null);
    }

    private static SmimeMessageException Unusable(X509Certificate2 certificate, string? why, Exception? cause) => new(
        SmimeMessageErrorCode.SignerKeyUnusable,
        certificate.Thumbprint,
        string.Format(CultureInfo.CurrentCulture, Strings.MessageSignerKeyUnusable, certificate.Subject, certificate.Thumbprint, why),
        cause);
}
