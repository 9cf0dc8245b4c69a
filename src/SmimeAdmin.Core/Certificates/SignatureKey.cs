using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Certificates;

/// <summary>
/// An issuer's public key, ready to verify the certificates it signed. RSA PKCS #1 v1.5 signatures are checked with
/// the platform's RSA (OpenSSL, CNG), about ten times faster than BouncyCastle's managed arithmetic, which stays the
/// reference: it decides every other algorithm and every signature the platform does not accept.
/// </summary>
internal sealed class SignatureKey
{
    // A huge public exponent would make every verification a full-size modular exponentiation.
    private const int MaxRsaExponentBits = 64;

    private readonly Lazy<RSA?> _platformRsa;

    private SignatureKey(AsymmetricKeyParameter key)
    {
        Key = key;
        _platformRsa = new Lazy<RSA?>(CreatePlatformRsa, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The key as BouncyCastle decoded it.</summary>
    public AsymmetricKeyParameter Key { get; }

    /// <summary>Decodes a subjectPublicKeyInfo; <see langword="null"/> when it cannot be decoded or is unreasonable.</summary>
    public static SignatureKey? Decode(SubjectPublicKeyInfo publicKeyInfo)
    {
        try
        {
            // BouncyCastle proves an RSA modulus composite with Miller-Rabin rounds when it builds a key: 15 to 90 ms
            // per key, which would dominate checking a collection. The check guards key generation, not verification
            // (whoever made a weak key can sign with it anyway), so it is switched off for this thread and call only.
            AsymmetricKeyParameter key = Properties.WithThreadProperty(
                Properties.RsaMaxMRTests,
                "0",
                () => PublicKeyFactory.CreateKey(publicKeyInfo));
            return key is RsaKeyParameters rsa && rsa.Exponent.BitLength > MaxRsaExponentBits ? null : new SignatureKey(key);
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            return null;
        }
    }

    /// <summary>
    /// Whether this key verifies the certificate's signature; <see langword="false"/> also when the key and the
    /// signature algorithm do not fit together, or the algorithm is not supported.
    /// </summary>
    public bool Verifies(BcX509Certificate certificate)
    {
        if (PlatformHash(certificate.SigAlgOid) is HashAlgorithmName hash && _platformRsa.Value is RSA rsa)
        {
            try
            {
                // The platform's RSA objects are not documented as safe for concurrent use.
                lock (rsa)
                {
                    if (rsa.VerifyData(certificate.GetTbsCertificate(), certificate.GetSignature(), hash, RSASignaturePadding.Pkcs1))
                    {
                        return true;
                    }
                }
            }
            catch (CryptographicException)
            {
                // Left to BouncyCastle below.
            }
        }

        // Also for an RSA signature the platform refused: BouncyCastle accepts a DigestInfo without NULL parameters.
        try
        {
            return certificate.IsSignatureValid(Key);
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            return false;
        }
    }

    private static HashAlgorithmName? PlatformHash(string signatureAlgorithmOid) => signatureAlgorithmOid switch
    {
        "1.2.840.113549.1.1.5" => HashAlgorithmName.SHA1,
        "1.2.840.113549.1.1.11" => HashAlgorithmName.SHA256,
        "1.2.840.113549.1.1.12" => HashAlgorithmName.SHA384,
        "1.2.840.113549.1.1.13" => HashAlgorithmName.SHA512,
        _ => null,
    };

    private RSA? CreatePlatformRsa()
    {
        if (Key is not RsaKeyParameters { IsPrivate: false } rsaKey)
        {
            return null;
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(new RSAParameters
            {
                Modulus = rsaKey.Modulus.ToByteArrayUnsigned(),
                Exponent = rsaKey.Exponent.ToByteArrayUnsigned(),
            });
            return rsa;
        }
        catch (CryptographicException)
        {
            // A key the platform does not take (an odd size, say) is verified by BouncyCastle.
            rsa.Dispose();
            return null;
        }
    }
}
