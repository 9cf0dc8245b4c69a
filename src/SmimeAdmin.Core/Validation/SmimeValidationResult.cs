using System;
using System.Collections.Generic;

namespace SmimeAdmin.Core.Validation;

/// <summary>The outcome of <see cref="SmimeCertificateValidator.Validate"/>.</summary>
public sealed class SmimeValidationResult
{
    internal SmimeValidationResult(
        SmimeEndEntityCertificate? certificate,
        IReadOnlyList<SmimeChainElement> chain,
        IReadOnlyList<SmimeValidationFailure> failures,
        SmimeCertificateUsage usage,
        DateTime validationTime)
    {
        Certificate = certificate;
        Chain = chain;
        Failures = failures;
        Usage = usage;
        ValidationTime = validationTime;

        bool valid = true;
        foreach (SmimeValidationFailure failure in failures)
        {
            valid &= failure.Severity != SmimeValidationSeverity.Error;
        }

        IsValid = valid;
    }

    /// <summary>Whether the certificate may be used: no failure has <see cref="SmimeValidationSeverity.Error"/> severity.</summary>
    public bool IsValid { get; }

    /// <summary>The user certificate, or <see langword="null"/> when it could not be decoded.</summary>
    public SmimeEndEntityCertificate? Certificate { get; }

    /// <summary>
    /// The chain from the user certificate (first) to the trust anchor (last, <see cref="SmimeChainElement.IsTrustAnchor"/>).
    /// When no complete chain was found, the longest partial chain built, starting with the user certificate; empty
    /// when the certificate could not be decoded.
    /// </summary>
    public IReadOnlyList<SmimeChainElement> Chain { get; }

    /// <summary>Every failure, errors and warnings, in the order the checks ran; empty for a certificate with no finding.</summary>
    public IReadOnlyList<SmimeValidationFailure> Failures { get; }

    /// <summary>The usage checked.</summary>
    public SmimeCertificateUsage Usage { get; }

    /// <summary>The time, in UTC, at which validity periods and revocation were judged.</summary>
    public DateTime ValidationTime { get; }
}
