namespace SmimeAdmin.Core.Certificates;

/// <summary>Why a certificate does not belong in a certificate-authority collection.</summary>
public enum CertificateCollectionProblemCode
{
    /// <summary>The certificate is not a certification authority (no basicConstraints cA, and not a self-issued v1 root).</summary>
    NotCertificateAuthority,

    /// <summary>The certificate is not self-issued, and no certificate in the collection signed it.</summary>
    IssuerNotInCollection,
}
