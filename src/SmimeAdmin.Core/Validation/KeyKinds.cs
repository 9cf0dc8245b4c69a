namespace SmimeAdmin.Core.Validation;

/// <summary>How a public-key algorithm can protect a content-encryption key.</summary>
internal enum KeyKind
{
    /// <summary>Not known here; keyUsage alone decides.</summary>
    Unknown,

    /// <summary>The key encrypts the content-encryption key (RSA): keyEncipherment.</summary>
    KeyTransport,

    /// <summary>The key agrees a key-encryption key (ECDH, X25519, X448, DH): keyAgreement.</summary>
    KeyAgreement,

    /// <summary>The algorithm only signs (DSA, EdDSA, RSASSA-PSS keys).</summary>
    SignatureOnly,
}

/// <summary>Classifies subjectPublicKeyInfo algorithms for the encryption check.</summary>
internal static class KeyKinds
{
    public static KeyKind Classify(string algorithmOid) => algorithmOid switch
    {
        "1.2.840.113549.1.1.1" or "1.2.840.113549.1.1.7" => KeyKind.KeyTransport,
        "1.2.840.10045.2.1" or "1.3.132.1.12" or "1.3.101.110" or "1.3.101.111" or "1.2.840.10046.2.1" => KeyKind.KeyAgreement,
        "1.2.840.10040.4.1" or "1.3.101.112" or "1.3.101.113" or "1.2.840.113549.1.1.10" => KeyKind.SignatureOnly,
        _ => KeyKind.Unknown,
    };
}
