namespace SmimeAdmin.Core.Certificates;

/// <summary>One reason a certificate does not fit in a certificate-authority collection.</summary>
public sealed class CertificateCollectionProblem
{
    internal CertificateCollectionProblem(SmimeCaCertificate certificate, CertificateCollectionProblemCode code, string message)
    {
        Certificate = certificate;
        Code = code;
        Message = message;
    }

    /// <summary>The certificate at fault.</summary>
    public SmimeCaCertificate Certificate { get; }

    /// <summary>What is wrong, for programs.</summary>
    public CertificateCollectionProblemCode Code { get; }

    /// <summary>What is wrong, for people: names the certificate's subject and thumbprint.</summary>
    public string Message { get; }

    /// <summary>The <see cref="Message"/>.</summary>
    public override string ToString() => Message;
}
