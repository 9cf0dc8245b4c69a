using System;

namespace SmimeAdmin.Core.Validation;

/// <summary>One reason a certificate is not, or not certainly, usable for S/MIME.</summary>
public sealed class SmimeValidationFailure
{
    internal SmimeValidationFailure(
        SmimeValidationReason code,
        SmimeValidationSeverity severity,
        string message,
        SmimeChainElement? certificate,
        Uri? crlDistributionPoint = null)
    {
        Code = code;
        Severity = severity;
        Message = message;
        Certificate = certificate;
        CrlDistributionPoint = crlDistributionPoint;
    }

    /// <summary>What is wrong, for programs.</summary>
    public SmimeValidationReason Code { get; }

    /// <summary>Whether the failure makes the result invalid (<see cref="SmimeValidationSeverity.Error"/>) or not.</summary>
    public SmimeValidationSeverity Severity { get; }

    /// <summary>What is wrong, for people: names the certificate's subject and thumbprint and the detail.</summary>
    public string Message { get; }

    /// <summary>
    /// The certificate concerned: the user certificate or a CA certificate of the chain. <see langword="null"/> only
    /// when the certificate could not be decoded at all.
    /// </summary>
    public SmimeChainElement? Certificate { get; }

    /// <summary>The CRL distribution point concerned, for revocation failures; otherwise <see langword="null"/>.</summary>
    public Uri? CrlDistributionPoint { get; }

    /// <summary>The <see cref="Message"/>.</summary>
    public override string ToString() => Message;
}
