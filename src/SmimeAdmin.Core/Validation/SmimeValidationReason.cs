namespace SmimeAdmin.Core.Validation;

/// <summary>Why a certificate failed validation. The names and numbers are stable: scripts may depend on them.</summary>
public enum SmimeValidationReason
{
    /// <summary>
    /// A certificate could not be decoded: the user certificate itself (an error), an extension of it (an error), or
    /// one of the additional intermediate certificates (a warning; that certificate is ignored).
    /// </summary>
    MalformedCertificate = 1,

    /// <summary>
    /// No chain leads from the certificate to a certificate of the organization's certificate collection: an issuer
    /// is missing, the chain ends at a root the collection does not hold, or it is longer than
    /// <see cref="SmimeCertificateValidator.MaxChainLength"/> certificates.
    /// </summary>
    ChainNotTrusted = 2,

    /// <summary>
    /// Certificates with the issuer's name were found, but the signature of the certificate concerned verifies with
    /// none of their keys.
    /// </summary>
    SignatureInvalid = 3,

    /// <summary>The user certificate's validity period ended before the validation time.</summary>
    Expired = 4,

    /// <summary>The user certificate's validity period starts after the validation time.</summary>
    NotYetValid = 5,

    /// <summary>A CA certificate of the chain (trust anchor included) expired before the validation time.</summary>
    IssuerExpired = 6,

    /// <summary>A CA certificate of the chain (trust anchor included) is not valid yet at the validation time.</summary>
    IssuerNotYetValid = 7,

    /// <summary>
    /// A certificate that issued another one in the chain is not a certification authority: it lacks basicConstraints
    /// with cA set (and is not a self-issued version 1 root), or its keyUsage lacks keyCertSign.
    /// </summary>
    NotCertificateAuthority = 8,

    /// <summary>A CA certificate has more intermediate CA certificates below it than its pathLenConstraint allows.</summary>
    PathLengthExceeded = 9,

    /// <summary>
    /// The keyUsage extension does not allow the requested usage, or the key's algorithm cannot serve it (see
    /// <see cref="SmimeCertificateUsage"/>).
    /// </summary>
    KeyUsageMissing = 10,

    /// <summary>The extendedKeyUsage extension has neither emailProtection nor anyExtendedKeyUsage.</summary>
    ExtendedKeyUsageMissing = 11,

    /// <summary>The certificate carries email addresses, and a requested address is not one of them.</summary>
    AddressMismatch = 12,

    /// <summary>The user certificate is listed on its issuer's CRL.</summary>
    Revoked = 13,

    /// <summary>An intermediate CA certificate of the chain is listed on its issuer's CRL.</summary>
    IssuerRevoked = 14,

    /// <summary>
    /// The revocation status could not be determined: the certificate has no HTTP or HTTPS CRL distribution point,
    /// the CRL could not be retrieved, or the CRL retrieved has expired. An error when <c>OWACheckCRLOnSend</c> is
    /// <see langword="true"/>, otherwise a warning.
    /// </summary>
    RevocationUnknown = 15,

    /// <summary>
    /// The revocation status could not be determined in time: retrieving a CRL took longer than
    /// <c>OWACRLConnectionTimeout</c>, or the validation's <c>OWACRLRetrievalTimeout</c> ran out. Severity as for
    /// <see cref="RevocationUnknown"/>.
    /// </summary>
    RevocationTimeout = 16,

    /// <summary>
    /// A CRL was retrieved but cannot be used: it is not a CRL, its issuer is not the certificate's issuer, its
    /// signature does not verify with the issuer's key, the issuer may not sign CRLs, or it is a delta or partial CRL
    /// that does not cover the certificate. Severity as for <see cref="RevocationUnknown"/>, because the status is
    /// then unknown (as Windows treats a CRL it cannot verify).
    /// </summary>
    CrlInvalid = 17,
}
