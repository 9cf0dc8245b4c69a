using System;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using SmimeAdmin.Core.Certificates;

namespace SmimeAdmin.Core.Publishing;

/// <summary>
/// A user's private key, read from a PKCS #12 (.pfx) file, that can sign the user's <c>userSMIMECertificate</c>.
/// </summary>
/// <remarks>
/// The type is opaque on purpose: it exposes which certificate the key belongs to, never the key. It lives only in
/// memory; nothing in SmimeAdmin serializes it, and the store is never given it. Drop the reference once the blob is
/// built.
/// </remarks>
public sealed class SmimeSigningKey
{
    private readonly byte[] _certificate;

    internal SmimeSigningKey(AsymmetricKeyParameter privateKey, byte[] certificate)
    {
        if (privateKey is null)
        {
            throw new ArgumentNullException(nameof(privateKey));
        }

        if (!privateKey.IsPrivate)
        {
            throw new ArgumentException(Strings.SigningKeyNotPrivate, nameof(privateKey));
        }

        KeyAlgorithm = privateKey switch
        {
            RsaKeyParameters => "RSA",
            ECPrivateKeyParameters => "EC",
            _ => throw new ArgumentException(Strings.SigningKeyUnsupported, nameof(privateKey)),
        };
        PrivateKey = privateKey;
        _certificate = (byte[])(certificate ?? throw new ArgumentNullException(nameof(certificate))).Clone();
        CertificateThumbprint = HexText.Upper(SerializedCertificateStore.Sha1(_certificate));
    }

    /// <summary>The SHA-1 thumbprint of the certificate the key belongs to.</summary>
    public string CertificateThumbprint { get; }

    /// <summary>The key's algorithm: <c>RSA</c> or <c>EC</c>.</summary>
    public string KeyAlgorithm { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>The DER certificate the key belongs to.</summary>
    internal byte[] Certificate => _certificate;

    /// <summary>Names the key by its algorithm and certificate; never shows key material.</summary>
    public override string ToString() => KeyAlgorithm + " private key of certificate " + CertificateThumbprint;
}
