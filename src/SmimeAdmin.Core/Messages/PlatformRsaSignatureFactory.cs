using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace SmimeAdmin.Core.Messages;

/// <summary>
/// Signs for BouncyCastle's CMS generator with the platform's RSA (OpenSSL on Linux and macOS, CNG on Windows), which
/// is several times faster than BouncyCastle's own; the CMS structure is still BouncyCastle's.
/// </summary>
internal sealed class PlatformRsaSignatureFactory : ISignatureFactory, IDisposable
{
    private readonly RSA _rsa;
    private readonly HashAlgorithmName _hash;

    private PlatformRsaSignatureFactory(RSA rsa, HashAlgorithmName hash, string signatureOid)
    {
        _rsa = rsa;
        _hash = hash;
        AlgorithmDetails = new AlgorithmIdentifier(new DerObjectIdentifier(signatureOid), DerNull.Instance);
    }

    /// <inheritdoc/>
    public object AlgorithmDetails { get; }

    /// <summary>A factory for an RSA key with its CRT parameters, or <see langword="null"/> for any other key.</summary>
    /// <param name="key">The private key.</param>
    /// <param name="digestOid">The digest's OID.</param>
    /// <param name="signatureOid">The RSA signature OID that goes with the digest.</param>
    public static PlatformRsaSignatureFactory? TryCreate(AsymmetricKeyParameter key, string digestOid, string? signatureOid)
    {
        if (key is not RsaPrivateCrtKeyParameters rsaKey || signatureOid is null || HashName(digestOid) is not HashAlgorithmName hash)
        {
            return null;
        }

        RSA rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(DotNetUtilities.ToRSAParameters(rsaKey));
            return new PlatformRsaSignatureFactory(rsa, hash, signatureOid);
        }
        catch (CryptographicException)
        {
            // A key the platform refuses (an unusual size, say) is signed with BouncyCastle instead.
            rsa.Dispose();
            return null;
        }
    }

    /// <inheritdoc/>
    public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(this);

    /// <inheritdoc/>
    public void Dispose() => _rsa.Dispose();

    private static HashAlgorithmName? HashName(string digestOid) => digestOid switch
    {
        "1.3.14.3.2.26" => HashAlgorithmName.SHA1,
        "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
        "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
        "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
        _ => null,
    };

    [SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Justification = "A MemoryStream holds no unmanaged resource, and BouncyCastle never disposes calculators.")]
    private sealed class Calculator : IStreamCalculator<IBlockResult>
    {
        private readonly PlatformRsaSignatureFactory _factory;
        private readonly MemoryStream _data = new();

        public Calculator(PlatformRsaSignatureFactory factory) => _factory = factory;

        public Stream Stream => _data;

        public IBlockResult GetResult() =>
            new SimpleBlockResult(_factory._rsa.SignData(_data.ToArray(), _factory._hash, RSASignaturePadding.Pkcs1));
    }
}
