using System;
using System.Collections.Generic;

namespace SmimeAdmin.Core.Publishing;

/// <summary>What a <c>userSMIMECertificate</c> value says: its certificates and, when signed, its signed attributes.</summary>
public sealed class UserSmimeCertificateInfo
{
    internal UserSmimeCertificateInfo(
        IReadOnlyList<byte[]> certificates,
        byte[]? signerCertificate,
        string? digestAlgorithmOid,
        DateTime? signingTimeUtc,
        IReadOnlyList<UserSmimeCapability> capabilities,
        byte[]? encryptionCertificate,
        bool isSigned)
    {
        Certificates = certificates;
        SignerCertificate = signerCertificate;
        DigestAlgorithmOid = digestAlgorithmOid;
        SigningTimeUtc = signingTimeUtc;
        Capabilities = capabilities;
        EncryptionCertificate = encryptionCertificate;
        IsSigned = isSigned;
    }

    /// <summary>The certificates the blob carries (DER, exactly as stored), in their order in the blob.</summary>
    public IReadOnlyList<byte[]> Certificates { get; }

    /// <summary>Whether the blob has a SignerInfo; a certs-only blob has none and no attributes.</summary>
    public bool IsSigned { get; }

    /// <summary>The certificate of the (first) signer, when the blob carries it.</summary>
    public byte[]? SignerCertificate { get; }

    /// <summary>The signer's digest algorithm OID.</summary>
    public string? DigestAlgorithmOid { get; }

    /// <summary>The signingTime attribute (UTC).</summary>
    public DateTime? SigningTimeUtc { get; }

    /// <summary>The SMIMECapabilities attribute, in order of preference; empty when there is none.</summary>
    public IReadOnlyList<UserSmimeCapability> Capabilities { get; }

    /// <summary>
    /// The certificate the SMIMEEncryptionKeyPreference attribute (or Microsoft's equivalent) names as the one to
    /// encrypt to, when the blob carries it.
    /// </summary>
    public byte[]? EncryptionCertificate { get; }
}
