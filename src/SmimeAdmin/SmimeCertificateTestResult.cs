using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using SmimeAdmin.Core.Validation;

namespace SmimeAdmin;

/// <summary>What Test-SmimeCertificate found for one user certificate.</summary>
public sealed class SmimeCertificateTestResult
{
    internal SmimeCertificateTestResult(string organization, SmimeValidationResult result)
    {
        Organization = organization;
        IsValid = result.IsValid;
        Subject = result.Certificate?.Subject ?? string.Empty;
        Thumbprint = result.Certificate?.Thumbprint ?? string.Empty;
        NotAfter = result.Certificate?.NotAfter.ToLocalTime();
        EmailAddresses = result.Certificate?.EmailAddresses.ToArray() ?? Array.Empty<string>();
        Usage = result.Usage.ToString();
        ValidationTime = result.ValidationTime;
        Chain = result.Chain.Select(link => link.ToString()).ToArray();
        Failures = result.Failures.Select(failure => new SmimeCertificateFailure(failure)).ToArray();
        Reasons = Failures.Select(failure => failure.Reason).ToArray();
    }

    /// <summary>The organization whose collection and settings were used.</summary>
    public string Organization { get; }

    /// <summary>Whether the certificate passed every check (warnings allowed).</summary>
    public bool IsValid { get; }

    /// <summary>The certificate's subject.</summary>
    public string Subject { get; }

    /// <summary>The certificate's SHA-1 thumbprint.</summary>
    public string Thumbprint { get; }

    /// <summary>The end of the certificate's validity period (local time).</summary>
    public DateTime? NotAfter { get; }

    /// <summary>The e-mail addresses the certificate carries (subjectAltName and the subject's emailAddress).</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A plain array reads best in PowerShell.")]
    public string[] EmailAddresses { get; }

    /// <summary>The usage checked: Signing, Encryption or Both.</summary>
    public string Usage { get; }

    /// <summary>The time the certificate was judged at (UTC).</summary>
    public DateTime ValidationTime { get; }

    /// <summary>The chain built, from the certificate to its trust anchor in the collection.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A plain array reads best in PowerShell.")]
    public string[] Chain { get; }

    /// <summary>The reason codes of every failure and warning, e.g. Expired or RevocationUnknown.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A plain array reads best in PowerShell.")]
    public string[] Reasons { get; }

    /// <summary>Every failure and warning, with its reason code, severity and message.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A plain array reads best in PowerShell.")]
    public SmimeCertificateFailure[] Failures { get; }
}

/// <summary>One reason a certificate failed a check, or a warning about it.</summary>
public sealed class SmimeCertificateFailure
{
    internal SmimeCertificateFailure(SmimeValidationFailure failure)
    {
        Reason = failure.Code.ToString();
        Severity = failure.Severity.ToString();
        Message = failure.Message;
        Certificate = failure.Certificate?.ToString() ?? string.Empty;
    }

    /// <summary>The stable reason code, e.g. ChainNotTrusted, KeyUsageMissing, Revoked.</summary>
    public string Reason { get; }

    /// <summary>Error or Warning.</summary>
    public string Severity { get; }

    /// <summary>What is wrong, in words.</summary>
    public string Message { get; }

    /// <summary>The certificate of the chain the failure concerns: the user's or a CA's.</summary>
    public string Certificate { get; }

    /// <inheritdoc/>
    public override string ToString() => Reason + ": " + Message;
}
