namespace SmimeAdmin.Core.Certificates;

/// <summary>The container a certificate file was read from.</summary>
public enum CertificateFileFormat
{
    /// <summary>A Windows serialized certificate store (<c>.sst</c>).</summary>
    SerializedStore,

    /// <summary>PEM text with one or more CERTIFICATE blocks (<c>.pem</c>, <c>.crt</c>, Base64 <c>.cer</c>), possibly also PKCS7 blocks.</summary>
    Pem,

    /// <summary>One DER-encoded X.509 certificate (binary <c>.cer</c>, <c>.crt</c>, <c>.der</c>).</summary>
    Der,

    /// <summary>A PKCS #7 SignedData certificate bundle (<c>.p7b</c>, <c>.p7c</c>), binary or in PEM PKCS7 blocks only.</summary>
    Pkcs7,
}
