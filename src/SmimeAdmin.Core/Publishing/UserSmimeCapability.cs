using System.Globalization;

namespace SmimeAdmin.Core.Publishing;

/// <summary>One entry of an SMIMECapabilities attribute (RFC 8551 2.5.2): an algorithm the user can decrypt with.</summary>
public sealed class UserSmimeCapability
{
    /// <summary>Creates the entry.</summary>
    public UserSmimeCapability(string oid, int? keyLength)
    {
        Oid = oid;
        KeyLength = keyLength;
    }

    /// <summary>The algorithm's object identifier.</summary>
    public string Oid { get; }

    /// <summary>The INTEGER parameter, which RC2 uses for its key length in bits; <see langword="null"/> when there is none.</summary>
    public int? KeyLength { get; }

    /// <summary>The OID, with <c>:bits</c> when there is a key length.</summary>
    public override string ToString() =>
        KeyLength is int bits ? Oid + ":" + bits.ToString(CultureInfo.InvariantCulture) : Oid;
}
