using System;
using SmimeAdmin.Core.Certificates;

namespace SmimeAdmin.Core.Validation;

/// <summary>One certificate of a chain built by <see cref="SmimeCertificateValidator"/>.</summary>
public sealed class SmimeChainElement : SmimeCertificateIdentity
{
    internal SmimeChainElement(
        byte[] rawData,
        string subject,
        string issuer,
        string thumbprint,
        string serialNumber,
        DateTime notBefore,
        DateTime notAfter,
        SmimeCaCertificate? caCertificate,
        bool isTrustAnchor)
        : base(rawData, subject, issuer, thumbprint, serialNumber, notBefore, notAfter)
    {
        CaCertificate = caCertificate;
        IsTrustAnchor = isTrustAnchor;
    }

    /// <summary>
    /// The decoded CA certificate for a certificate of the organization's collection or an additional intermediate;
    /// <see langword="null"/> for the user certificate.
    /// </summary>
    public SmimeCaCertificate? CaCertificate { get; }

    /// <summary>
    /// Whether the certificate belongs to the organization's certificate collection. A chain ends at the first such
    /// certificate, root or intermediate, so only the last element of a complete chain has this set.
    /// </summary>
    public bool IsTrustAnchor { get; }
}
