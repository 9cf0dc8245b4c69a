using System;
using System.Collections.Generic;
using System.Globalization;

namespace SmimeAdmin.Core.Certificates;

/// <summary>
/// Checks that a set of certificates can serve as Exchange's certificate-authority collection: every member is a CA,
/// and every member that is not a root was issued by another member.
/// </summary>
/// <remarks>
/// A root is trusted because the administrator put it in the collection, so a self-issued certificate is accepted
/// whatever its self-signature algorithm (old roots use MD2 or SHA-1). Validity dates are not checked here: the
/// caller does that with its own clock.
/// </remarks>
public static class CertificateCollectionValidator
{
    /// <summary>Lists every problem of the collection.</summary>
    /// <param name="collection">The certificates.</param>
    /// <returns>
    /// The problems in collection order (a certificate can have two); empty when the collection is sound.
    /// </returns>
    /// <remarks>
    /// An issuer is looked for among the members whose subject equals the certificate's issuer name, then confirmed by
    /// its signature; a member whose key identifier matches the certificate's authority key identifier is tried
    /// first. The work grows linearly with the collection unless many members share one subject.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="collection"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="collection"/> has a <see langword="null"/> item.</exception>
    public static IReadOnlyList<CertificateCollectionProblem> Validate(IReadOnlyList<SmimeCaCertificate> collection)
    {
        if (collection is null)
        {
            throw new ArgumentNullException(nameof(collection));
        }

        var bySubject = new Dictionary<string, List<SmimeCaCertificate>>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < collection.Count; i++)
        {
            SmimeCaCertificate certificate = collection[i]
                ?? throw new ArgumentException(
                    string.Format(CultureInfo.CurrentCulture, Strings.CertificateCollectionItemNull, i),
                    nameof(collection));
            if (!bySubject.TryGetValue(certificate.Subject, out List<SmimeCaCertificate>? sameSubject))
            {
                sameSubject = new List<SmimeCaCertificate>(1);
                bySubject.Add(certificate.Subject, sameSubject);
            }

            sameSubject.Add(certificate);
        }

        var problems = new List<CertificateCollectionProblem>();
        foreach (SmimeCaCertificate certificate in collection)
        {
            if (!certificate.IsCertificateAuthority)
            {
                problems.Add(new CertificateCollectionProblem(
                    certificate,
                    CertificateCollectionProblemCode.NotCertificateAuthority,
                    Describe(Strings.CertificateCollectionNotCa, certificate)));
            }

            if (certificate.IsSelfIssued)
            {
                continue;
            }

            if (!bySubject.TryGetValue(certificate.Issuer, out List<SmimeCaCertificate>? candidates))
            {
                problems.Add(new CertificateCollectionProblem(
                    certificate,
                    CertificateCollectionProblemCode.IssuerNotInCollection,
                    Describe(Strings.CertificateCollectionIssuerMissing, certificate)));
            }
            else if (!HasSigner(certificate, candidates))
            {
                problems.Add(new CertificateCollectionProblem(
                    certificate,
                    CertificateCollectionProblemCode.IssuerNotInCollection,
                    Describe(Strings.CertificateCollectionIssuerDidNotSign, certificate, candidates.Count)));
            }
        }

        return problems.AsReadOnly();
    }

    private static string Describe(string format, SmimeCaCertificate certificate, int candidates = 0) =>
        string.Format(
            CultureInfo.CurrentCulture,
            format,
            certificate.Subject,
            certificate.Thumbprint,
            certificate.Issuer,
            candidates);

    private static bool HasSigner(SmimeCaCertificate certificate, List<SmimeCaCertificate> candidates)
    {
        byte[]? authorityKey = certificate.AuthorityKeyIdentifier;
        if (authorityKey is not null && candidates.Count > 1)
        {
            foreach (SmimeCaCertificate candidate in candidates)
            {
                if (KeyIdEquals(candidate.SubjectKeyIdentifier, authorityKey) && certificate.IsSignedBy(candidate))
                {
                    return true;
                }
            }
        }

        foreach (SmimeCaCertificate candidate in candidates)
        {
            bool triedFirst = authorityKey is not null && candidates.Count > 1
                && KeyIdEquals(candidate.SubjectKeyIdentifier, authorityKey);
            if (!triedFirst && certificate.IsSignedBy(candidate))
            {
                return true;
            }
        }

        return false;
    }

    private static bool KeyIdEquals(byte[]? left, byte[] right)
    {
        if (left is null || left.Length != right.Length)
        {
            return false;
        }

        for (int i = 0; i < left.Length; i++)
        {
            if (left[i] != right[i])
            {
                return false;
            }
        }

        return true;
    }
}
