using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin;

/// <summary>A certificate published for a recipient, in userCertificate or userSMIMECertificate.</summary>
public sealed class SmimeUserCertificate : SmimeCertificateSummary
{
    internal const string UserCertificateName = SmimeRecipientDraft.UserCertificateName;
    internal const string UserSmimeCertificateName = SmimeRecipientDraft.UserSmimeCertificateName;

    private readonly byte[] _attributeValue;

    internal SmimeUserCertificate(SmimeRecipient recipient, PublishedUserCertificate published, DateTime nowUtc)
        : base(recipient.Organization, published.Certificate, nowUtc)
    {
        Identity = recipient.PrimarySmtpAddress;
        Attribute = published.Attribute == UserCertificateAttributes.UserCertificate ? UserCertificateName : UserSmimeCertificateName;
        EmailAddresses = published.EmailAddresses.ToArray();
        IsSigned = published.IsSigned;
        Certificate = new X509Certificate2(published.RawData);
        _attributeValue = published.GetAttributeValue();
    }

    /// <summary>The recipient's primary SMTP address.</summary>
    public string Identity { get; }

    /// <summary>The directory attribute: userCertificate or userSMIMECertificate.</summary>
    public string Attribute { get; }

    /// <summary>The e-mail addresses the certificate names.</summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "A plain array reads best in PowerShell.")]
    public string[] EmailAddresses { get; }

    /// <summary>For userSMIMECertificate: whether the blob carrying the certificate is signed by the user.</summary>
    public bool IsSigned { get; }

    /// <summary>The certificate, e.g. to pipe to Test-SmimeCertificate or Export-Certificate.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The attribute value as stored: for userCertificate the DER certificate, for userSMIMECertificate the whole
    /// CMS SignedData blob (e.g. to write to a file and inspect with openssl cms -cmsout -print -inform DER).
    /// </summary>
    [SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "X509Certificate2 exposes RawData the same way.")]
    public byte[] AttributeValue => (byte[])_attributeValue.Clone();

    /// <inheritdoc/>
    public override string ToString() => Identity + " " + Thumbprint;
}
