using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// An organization's virtual certificate collection as the store keeps it: the serialized certificate store (.sst)
/// bytes, and what Exchange derives from them when they are set.
/// </summary>
public sealed class SmimeCertificateCollectionRecord
{
    private readonly byte[] _serializedStore;

    /// <summary>Creates the record.</summary>
    /// <param name="serializedStore">The .sst bytes, kept as given.</param>
    /// <param name="thumbprints">The SHA-1 thumbprints of the certificates, upper-case hex, in store order.</param>
    /// <param name="expiryDateUtc">The earliest NotAfter; <see langword="null"/> for an empty collection.</param>
    /// <param name="expiryThumbprint">The thumbprint of the certificate that expires first; empty for none.</param>
    public SmimeCertificateCollectionRecord(
        byte[] serializedStore,
        IReadOnlyList<string> thumbprints,
        DateTime? expiryDateUtc,
        string expiryThumbprint)
    {
        _serializedStore = (byte[])(serializedStore ?? throw new ArgumentNullException(nameof(serializedStore))).Clone();
        Thumbprints = thumbprints ?? throw new ArgumentNullException(nameof(thumbprints));
        ExpiryDateUtc = expiryDateUtc;
        ExpiryThumbprint = expiryThumbprint ?? string.Empty;
        Sha256 = HexSha256(_serializedStore);
    }

    /// <summary>The certificates' thumbprints, in store order.</summary>
    public IReadOnlyList<string> Thumbprints { get; }

    /// <summary>The earliest NotAfter in the collection (UTC); Exchange's SMIMECertificatesExpiryDate.</summary>
    public DateTime? ExpiryDateUtc { get; }

    /// <summary>The thumbprint of the soonest-to-expire certificate; Exchange's SMIMEExpiredCertificateThumbprint.</summary>
    public string ExpiryThumbprint { get; }

    /// <summary>The SHA-256 of the .sst bytes, lower-case hex; names the file the store keeps them in.</summary>
    public string Sha256 { get; }

    /// <summary>A copy of the .sst bytes.</summary>
    public byte[] GetSerializedStore() => (byte[])_serializedStore.Clone();

    /// <summary>Describes the collection for the audit log: the count and every thumbprint.</summary>
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0} certificate(s): {1}", Thumbprints.Count, string.Join(", ", Thumbprints));

    internal byte[] SerializedStoreUnsafe => _serializedStore;

    internal static string HexSha256(byte[] content)
    {
        using var sha = SHA256.Create();
        var hex = new StringBuilder(64);
        foreach (byte b in sha.ComputeHash(content))
        {
            hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }
}
