using System;
using System.Collections.Generic;

namespace SmimeAdmin.Core.Certificates;

/// <summary>The names Windows gives signature and public-key algorithms (its OID friendly names).</summary>
internal static class AlgorithmNames
{
    private static readonly Dictionary<string, string> s_signature = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.2"] = "md2RSA",
        ["1.2.840.113549.1.1.3"] = "md4RSA",
        ["1.2.840.113549.1.1.4"] = "md5RSA",
        ["1.2.840.113549.1.1.5"] = "sha1RSA",
        ["1.2.840.113549.1.1.10"] = "RSASSA-PSS",
        ["1.2.840.113549.1.1.11"] = "sha256RSA",
        ["1.2.840.113549.1.1.12"] = "sha384RSA",
        ["1.2.840.113549.1.1.13"] = "sha512RSA",
        ["1.2.840.113549.1.1.14"] = "sha224RSA",
        ["1.3.14.3.2.3"] = "md5RSA",
        ["1.3.14.3.2.29"] = "sha1RSA",
        ["1.2.840.10040.4.3"] = "sha1DSA",
        ["1.3.14.3.2.27"] = "dsaSHA1",
        ["2.16.840.1.101.3.4.3.1"] = "sha224DSA",
        ["2.16.840.1.101.3.4.3.2"] = "sha256DSA",
        ["1.2.840.10045.4.1"] = "sha1ECDSA",
        ["1.2.840.10045.4.3.1"] = "sha224ECDSA",
        ["1.2.840.10045.4.3.2"] = "sha256ECDSA",
        ["1.2.840.10045.4.3.3"] = "sha384ECDSA",
        ["1.2.840.10045.4.3.4"] = "sha512ECDSA",
        ["1.3.101.112"] = "Ed25519",
        ["1.3.101.113"] = "Ed448",
    };

    private static readonly Dictionary<string, string> s_publicKey = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.1"] = "RSA",
        ["1.2.840.113549.1.1.10"] = "RSASSA-PSS",
        ["1.2.840.10045.2.1"] = "EC",
        ["1.2.840.10040.4.1"] = "DSA",
        ["1.3.101.110"] = "X25519",
        ["1.3.101.111"] = "X448",
        ["1.3.101.112"] = "Ed25519",
        ["1.3.101.113"] = "Ed448",
    };

    /// <summary>The signature algorithm's name, or its dotted OID when Windows has no name for it.</summary>
    public static string Signature(string oid) => s_signature.TryGetValue(oid, out string? name) ? name : oid;

    /// <summary>The public-key algorithm's name, or its dotted OID when unknown.</summary>
    public static string PublicKey(string oid) => s_publicKey.TryGetValue(oid, out string? name) ? name : oid;
}
