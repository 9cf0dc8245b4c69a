using System;
using SmimeAdmin.Core.Certificates;

namespace SmimeAdmin;

/// <summary>What every certificate the cmdlets list shows: its organization, names, serial number and validity.</summary>
public abstract class SmimeCertificateSummary
{
    private protected SmimeCertificateSummary(string organization, SmimeCaCertificate certificate, DateTime nowUtc)
    {
        Organization = organization;
        Subject = certificate.Subject;
        Issuer = certificate.Issuer;
        Thumbprint = certificate.Thumbprint;
        SerialNumber = certificate.SerialNumber;
        NotBefore = certificate.NotBefore.ToLocalTime();
        NotAfter = certificate.NotAfter.ToLocalTime();
        Status = SmimeCertificateCollection.ValidityAt(certificate, nowUtc).ToString();
    }

    /// <summary>The organization the certificate belongs to.</summary>
    public string Organization { get; }

    /// <summary>The subject's distinguished name.</summary>
    public string Subject { get; }

    /// <summary>The issuer's distinguished name.</summary>
    public string Issuer { get; }

    /// <summary>The SHA-1 thumbprint, upper-case hex.</summary>
    public string Thumbprint { get; }

    /// <summary>The serial number, upper-case hex.</summary>
    public string SerialNumber { get; }

    /// <summary>The start of the validity period (local time).</summary>
    public DateTime NotBefore { get; }

    /// <summary>The end of the validity period (local time).</summary>
    public DateTime NotAfter { get; }

    /// <summary>Valid, Expired or NotYetValid, at the time it was read.</summary>
    public string Status { get; }
}
