using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Core.Certificates;

/// <summary>Where a certificate stands in time.</summary>
public enum CertificateValidity
{
    /// <summary>Within NotBefore and NotAfter.</summary>
    Valid,

    /// <summary>Past NotAfter.</summary>
    Expired,

    /// <summary>Before NotBefore.</summary>
    NotYetValid,
}

/// <summary>
/// An organization's virtual certificate collection: the trusted root and intermediate CA certificates, without
/// duplicates, in the order they were added.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Named after Exchange's virtual certificate collection.")]
public sealed class SmimeCertificateCollection
{
    // The serialized store exactly as it was given, kept while the collection is unchanged: Exchange hands back
    // the bytes it was given, and so does Get-SmimeConfig.
    private readonly byte[]? _serializedStore;

    private SmimeCertificateCollection(IReadOnlyList<SmimeCaCertificate> certificates, byte[]? serializedStore)
    {
        Certificates = certificates;
        _serializedStore = serializedStore;
    }

    /// <summary>A collection with no certificates.</summary>
    public static SmimeCertificateCollection Empty { get; } = new(Array.Empty<SmimeCaCertificate>(), null);

    /// <summary>The certificates, without duplicates, in order.</summary>
    public IReadOnlyList<SmimeCaCertificate> Certificates { get; }

    /// <summary>Reads a stored collection; <see cref="Empty"/> when none is stored.</summary>
    /// <exception cref="CertificateFormatException">The stored bytes are not a serialized certificate store.</exception>
    public static SmimeCertificateCollection FromRecord(SmimeCertificateCollectionRecord? record)
    {
        if (record is null)
        {
            return Empty;
        }

        byte[] content = record.GetSerializedStore();
        return new SmimeCertificateCollection(Distinct(SerializedCertificateStore.Read(content).Select(SmimeCaCertificate.Parse)), content);
    }

    /// <summary>
    /// Reads a collection from any supported file content (SST, PEM, DER, PKCS#7). A serialized store without
    /// duplicates is kept byte for byte; other inputs are converted to one.
    /// </summary>
    /// <exception cref="CertificateFormatException">The content is in no supported format.</exception>
    public static SmimeCertificateCollection FromFileContent(byte[] content)
    {
        CertificateFileContent file = CertificateFile.Read(content ?? throw new ArgumentNullException(nameof(content)));
        SmimeCaCertificate[] certificates = Distinct(file.Certificates.Select(SmimeCaCertificate.Parse));
        bool keepBytes = file.Format == CertificateFileFormat.SerializedStore && certificates.Length == file.Certificates.Count;
        return new SmimeCertificateCollection(certificates, keepBytes ? (byte[])content.Clone() : null);
    }

    /// <summary>Makes a collection of certificates, dropping duplicates.</summary>
    public static SmimeCertificateCollection From(IEnumerable<SmimeCaCertificate> certificates) =>
        new(Distinct(certificates ?? throw new ArgumentNullException(nameof(certificates))), null);

    /// <summary>
    /// This collection followed by the certificates of <paramref name="other"/> it lacks. Either collection is returned
    /// itself, with its bytes, when the union adds nothing to it.
    /// </summary>
    public SmimeCertificateCollection Union(SmimeCertificateCollection other)
    {
        if (other is null)
        {
            throw new ArgumentNullException(nameof(other));
        }

        if (Certificates.Count == 0)
        {
            return other;
        }

        SmimeCertificateCollection union = From(Certificates.Concat(other.Certificates));
        return union.Certificates.Count == Certificates.Count ? this : union;
    }

    /// <summary>The collection without the certificates <paramref name="keep"/> rejects.</summary>
    public SmimeCertificateCollection Where(Func<SmimeCaCertificate, bool> keep)
    {
        SmimeCaCertificate[] kept = Certificates.Where(keep).ToArray();
        return kept.Length == Certificates.Count ? this : new SmimeCertificateCollection(kept, null);
    }

    /// <summary>Whether both collections hold the same certificates in the same order.</summary>
    public bool HasSameCertificates(SmimeCertificateCollection other) =>
        other is not null && Certificates.Select(c => c.Thumbprint).SequenceEqual(other.Certificates.Select(c => c.Thumbprint), StringComparer.Ordinal);

    /// <summary>The certificates already past their NotAfter at <paramref name="nowUtc"/>.</summary>
    public IReadOnlyList<SmimeCaCertificate> ExpiredAt(DateTime nowUtc) =>
        Certificates.Where(certificate => ValidityAt(certificate, nowUtc) == CertificateValidity.Expired).ToArray();

    /// <summary>Where a certificate stands at <paramref name="nowUtc"/>.</summary>
    public static CertificateValidity ValidityAt(SmimeCaCertificate certificate, DateTime nowUtc)
    {
        if (certificate is null)
        {
            throw new ArgumentNullException(nameof(certificate));
        }

        return nowUtc > certificate.NotAfter ? CertificateValidity.Expired
            : nowUtc < certificate.NotBefore ? CertificateValidity.NotYetValid
            : CertificateValidity.Valid;
    }

    /// <summary>
    /// The store record: the serialized store, the thumbprints, and Exchange's derived fields (the earliest NotAfter
    /// and the thumbprint of the certificate that has it).
    /// </summary>
    /// <returns>The record, or <see langword="null"/> for an empty collection (which clears it, as in Exchange).</returns>
    public SmimeCertificateCollectionRecord? ToRecord()
    {
        if (Certificates.Count == 0)
        {
            return null;
        }

        SmimeCaCertificate soonest = Certificates.OrderBy(c => c.NotAfter).First();
        return new SmimeCertificateCollectionRecord(
            _serializedStore ?? SerializedCertificateStore.Write(Certificates.Select(c => c.RawData)),
            Certificates.Select(c => c.Thumbprint).ToArray(),
            soonest.NotAfter,
            soonest.Thumbprint);
    }

    private static SmimeCaCertificate[] Distinct(IEnumerable<SmimeCaCertificate> certificates)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return certificates.Where(certificate => seen.Add(certificate.Thumbprint)).ToArray();
    }
}
