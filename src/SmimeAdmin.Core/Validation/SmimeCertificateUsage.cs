namespace SmimeAdmin.Core.Validation;

/// <summary>What a user certificate is checked for.</summary>
/// <remarks>
/// The usage decides the keyUsage bits a certificate needs (RFC 8550 section 4.4.2). The extended key usage and the
/// chain are checked the same way for every usage.
/// </remarks>
public enum SmimeCertificateUsage
{
    /// <summary>Signing mail: keyUsage, when present, has digitalSignature or nonRepudiation.</summary>
    Signing = 1,

    /// <summary>
    /// Receiving encrypted mail: keyUsage, when present, has keyEncipherment for an RSA key, or keyAgreement for an
    /// EC, X25519, X448 or Diffie-Hellman key. A key that can only sign (DSA, Ed25519, Ed448, RSASSA-PSS) never qualifies.
    /// </summary>
    Encryption = 2,

    /// <summary>Both <see cref="Signing"/> and <see cref="Encryption"/>, as for a single certificate used for everything.</summary>
    Both = 3,
}
