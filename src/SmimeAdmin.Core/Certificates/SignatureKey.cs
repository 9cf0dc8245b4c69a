using System;
using System.Collections.Concurrent;
using System.Formats.Asn1;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Certificates;

/// <summary>
/// An issuer's public key, ready to verify the certificates it signed. RSA PKCS #1 v1.5 signatures, and ECDSA
/// signatures on named curves, are checked with the platform's implementation (OpenSSL, CNG), about ten times faster
/// than BouncyCastle's managed arithmetic, which stays the reference: it decides every other algorithm and every
/// signature the platform does not accept.
/// </summary>
internal sealed class SignatureKey
{
    // A huge public exponent would make every verification a full-size modular exponentiation.
    private const int MaxRsaExponentBits = 64;

    // The platform's key objects are not documented as safe for concurrent use, so each verification takes one of
    // its own from this pool, made when none is free; a lock around one object would make parallel validation
    // wait on a popular issuer's key.
    private readonly ConcurrentBag<AsymmetricAlgorithm> _idlePlatformKeys = new();
    private readonly Lazy<bool> _platformTakesKey;

    private SignatureKey(AsymmetricKeyParameter key)
    {
        Key = key;
        _platformTakesKey = new Lazy<bool>(
            () => CreatePlatformKey() is AsymmetricAlgorithm first && Keep(first),
            System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
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
    /// <param name="certificate">The certificate, decoded.</param>
    /// <param name="encoded">The certificate as it was encoded, whose tbsCertificate bytes are the ones signed.</param>
    public bool Verifies(BcX509Certificate certificate, byte[] encoded)
    {
        if (VerifiesOnPlatform(certificate, encoded) == true)
        {
            return true;
        }

        // Also for a signature the platform refused: BouncyCastle accepts encodings it does not, such as an RSA
        // DigestInfo without NULL parameters.
        try
        {
            return certificate.IsSignatureValid(Key);
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            return false;
        }
    }

    /// <summary>
    /// The platform's verdict: <see langword="null"/> when the platform does not verify this key or algorithm, or
    /// refused to try.
    /// </summary>
    internal bool? VerifiesOnPlatform(BcX509Certificate certificate, byte[] encoded)
    {
        if (PlatformHash(certificate.SigAlgOid) is not HashAlgorithmName hash || !_platformTakesKey.Value
            || SignedPart(encoded) is not ArraySegment<byte> signed)
        {
            return null;
        }

        AsymmetricAlgorithm? key = _idlePlatformKeys.TryTake(out AsymmetricAlgorithm? idle) ? idle : CreatePlatformKey();
        if (key is null)
        {
            return null;
        }

        try
        {
            return PlatformVerifies(key, signed, certificate.GetSignature(), hash);
        }
        catch (CryptographicException)
        {
            return null;
        }
        finally
        {
            _idlePlatformKeys.Add(key);
        }
    }

    // The tbsCertificate exactly as it was encoded (the first element of the certificate's SEQUENCE), which is what
    // the issuer signed; re-encoding the decoded structure would cost more and could differ from it.
    private static ArraySegment<byte>? SignedPart(byte[] encoded)
    {
        try
        {
            ReadOnlyMemory<byte> tbs = new AsnReader(encoded, AsnEncodingRules.BER).ReadSequence().PeekEncodedValue();
            return MemoryMarshal.TryGetArray(tbs, out ArraySegment<byte> segment) ? segment : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private bool Keep(AsymmetricAlgorithm key)
    {
        _idlePlatformKeys.Add(key);
        return true;
    }

    // RSA PKCS #1 v1.5 and ECDSA with SHA-1 or SHA-2; whether the key fits the algorithm is PlatformVerifies' concern.
    private static HashAlgorithmName? PlatformHash(string signatureAlgorithmOid) => signatureAlgorithmOid switch
    {
        "1.2.840.113549.1.1.5" or "1.2.840.10045.4.1" => HashAlgorithmName.SHA1,
        "1.2.840.113549.1.1.11" or "1.2.840.10045.4.3.2" => HashAlgorithmName.SHA256,
        "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
        "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => HashAlgorithmName.SHA512,
        _ => null,
    };

    private static bool PlatformVerifies(AsymmetricAlgorithm key, ArraySegment<byte> signed, byte[] signature, HashAlgorithmName hash) => key switch
    {
        RSA rsa => rsa.VerifyData(signed.Array!, signed.Offset, signed.Count, signature, hash, RSASignaturePadding.Pkcs1),
        ECDsa ecdsa => ToFixedSize(signature, (ecdsa.KeySize + 7) / 8) is byte[] fixedSize && ecdsa.VerifyData(signed.Array!, signed.Offset, signed.Count, fixedSize, hash),
        _ => false,
    };

    // X.509 carries ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }; the platform takes r and s as two
    // big-endian numbers of the field's size. Null when the value is not of that shape.
    private static byte[]? ToFixedSize(byte[] signature, int fieldSize)
    {
        try
        {
            Asn1Sequence sequence = Asn1Sequence.GetInstance(signature);
            if (sequence.Count != 2)
            {
                return null;
            }

            byte[] fixedSize = new byte[2 * fieldSize];
            for (int i = 0; i < 2; i++)
            {
                byte[] value = DerInteger.GetInstance(sequence[i]).PositiveValue.ToByteArrayUnsigned();
                if (value.Length > fieldSize)
                {
                    return null;
                }

                Buffer.BlockCopy(value, 0, fixedSize, ((i + 1) * fieldSize) - value.Length, value.Length);
            }

            return fixedSize;
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            return null;
        }
    }

    private AsymmetricAlgorithm? CreatePlatformKey() => Key switch
    {
        RsaKeyParameters { IsPrivate: false } rsa => Import(RSA.Create(), created => created.ImportParameters(DotNetUtilities.ToRSAParameters(rsa))),
        ECPublicKeyParameters { PublicKeyParamSet: DerObjectIdentifier curve } ec => Import(ECDsa.Create(), created =>
        {
            Org.BouncyCastle.Math.EC.ECPoint point = ec.Q.Normalize();
            created.ImportParameters(new ECParameters
            {
                Curve = ECCurve.CreateFromValue(curve.Id),
                Q = new ECPoint
                {
                    X = point.AffineXCoord.GetEncoded(),
                    Y = point.AffineYCoord.GetEncoded(),
                },
            });
        }),
        _ => null,
    };

    // A key the platform does not take (an odd size or an unknown curve, say) is verified by BouncyCastle.
    private static T? Import<T>(T created, Action<T> import)
        where T : AsymmetricAlgorithm
    {
        try
        {
            import(created);
            return created;
        }
        catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException or ArgumentException)
        {
            created.Dispose();
            return null;
        }
    }
}
