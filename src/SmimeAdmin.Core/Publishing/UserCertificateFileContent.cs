using System.Collections.Generic;

namespace SmimeAdmin.Core.Publishing;

/// <summary>What a user's certificate file holds: the user's certificates, the CA certificates with them, and a key.</summary>
public sealed class UserCertificateFileContent
{
    internal UserCertificateFileContent(
        UserCertificateFileFormat format,
        IReadOnlyList<byte[]> userCertificates,
        IReadOnlyList<byte[]> chainCertificates,
        SmimeSigningKey? signingKey)
    {
        Format = format;
        UserCertificates = userCertificates;
        ChainCertificates = chainCertificates;
        SigningKey = signingKey;
    }

    /// <summary>The format detected from the content.</summary>
    public UserCertificateFileFormat Format { get; }

    /// <summary>
    /// The user's certificates (DER): every certificate that is not a certification authority, e.g. a signing and an
    /// encryption certificate. The one the signing key belongs to comes first.
    /// </summary>
    public IReadOnlyList<byte[]> UserCertificates { get; }

    /// <summary>The certification-authority certificates that came with them (DER), in file order.</summary>
    public IReadOnlyList<byte[]> ChainCertificates { get; }

    /// <summary>The key to sign the <c>userSMIMECertificate</c> with; only a PKCS #12 file has one.</summary>
    public SmimeSigningKey? SigningKey { get; }
}
