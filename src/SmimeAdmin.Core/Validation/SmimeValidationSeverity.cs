namespace SmimeAdmin.Core.Validation;

/// <summary>How much a validation failure counts.</summary>
public enum SmimeValidationSeverity
{
    /// <summary>The certificate must not be used; the result is not valid.</summary>
    Error,

    /// <summary>
    /// Something could not be confirmed, but the organization's settings allow the certificate anyway (for example a
    /// CRL that could not be retrieved while <c>OWACheckCRLOnSend</c> is <see langword="false"/>).
    /// </summary>
    Warning,
}
