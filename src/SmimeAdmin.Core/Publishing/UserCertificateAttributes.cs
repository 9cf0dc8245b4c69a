using System;

namespace SmimeAdmin.Core.Publishing;

/// <summary>The directory attributes a user's certificates are published to.</summary>
[Flags]
public enum UserCertificateAttributes
{
    /// <summary>Neither attribute.</summary>
    None = 0,

    /// <summary><c>userCertificate</c>: the DER certificates, as Active Directory and Outlook keep them.</summary>
    UserCertificate = 1,

    /// <summary><c>userSMIMECertificate</c>: a CMS SignedData carrying the certificates, their chain and capabilities.</summary>
    UserSmimeCertificate = 2,

    /// <summary>Both attributes, as Outlook publishes.</summary>
    Both = UserCertificate | UserSmimeCertificate,
}
