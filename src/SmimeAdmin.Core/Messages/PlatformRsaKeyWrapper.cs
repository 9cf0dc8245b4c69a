using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using PkcsObjectIdentifiers = Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers;

namespace SmimeAdmin.Core.Messages;

/// <summary>
/// Encrypts a content key for an RSA recipient (PKCS #1 v1.5 key transport) with the platform's RSA, several times
/// faster than BouncyCastle's; the recipient info around it is still BouncyCastle's.
/// </summary>
internal sealed class PlatformRsaKeyWrapper : IKeyWrapper, IDisposable
{
    private readonly RSA _rsa;

    private PlatformRsaKeyWrapper(RSA rsa) => _rsa = rsa;

    /// <inheritdoc/>
    public object AlgorithmDetails { get; } = new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance);

    /// <summary>A wrapper for an RSA public key, or <see langword="null"/> when the platform refuses the key.</summary>
    public static PlatformRsaKeyWrapper? TryCreate(RsaKeyParameters key)
    {
        RSA rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(DotNetUtilities.ToRSAParameters(key));
            return new PlatformRsaKeyWrapper(rsa);
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
            return null;
        }
    }

    /// <inheritdoc/>
    public IBlockResult Wrap(byte[] keyData) => new SimpleBlockResult(_rsa.Encrypt(keyData, RSAEncryptionPadding.Pkcs1));

    /// <inheritdoc/>
    public void Dispose() => _rsa.Dispose();
}
