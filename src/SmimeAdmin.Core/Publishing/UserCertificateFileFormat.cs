namespace SmimeAdmin.Core.Publishing;

/// <summary>The container a user's certificate file was read from.</summary>
public enum UserCertificateFileFormat
{
    /// <summary>A Windows serialized certificate store (<c>.sst</c>).</summary>
    SerializedStore,

    /// <summary>PEM text with CERTIFICATE (and possibly PKCS7) blocks.</summary>
    Pem,

    /// <summary>One DER X.509 certificate (binary <c>.cer</c>, <c>.crt</c>, <c>.der</c>).</summary>
    Der,

    /// <summary>A PKCS #7 certificate bundle (<c>.p7b</c>, <c>.p7c</c>).</summary>
    Pkcs7,

    /// <summary>A PKCS #12 file (<c>.pfx</c>, <c>.p12</c>): certificates and private keys, protected by a password.</summary>
    Pkcs12,

    /// <summary>Certificates handed over as objects (for example <c>X509Certificate2</c>), not read from a file.</summary>
    Certificates,
}
