using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Validation;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Publishing;

/// <summary>
/// A user certificate as a recipient has it published: a <c>userCertificate</c> value, or a user certificate carried
/// by a <c>userSMIMECertificate</c> blob (the blob's CA certificates are its chain, not published certificates).
/// </summary>
public sealed class PublishedUserCertificate
{
    private readonly byte[] _rawData;
    private readonly byte[] _attributeValue;

    private PublishedUserCertificate(UserCertificateAttributes attribute, byte[] attributeValue, byte[] rawData, BcX509Certificate decoded, bool isSigned)
    {
        _rawData = rawData;
        _attributeValue = attributeValue;
        Attribute = attribute;
        Certificate = SmimeCaCertificate.Parse(rawData);
        EmailAddresses = ReadAddresses(decoded);
        IsSigned = isSigned;
    }

    /// <summary>The attribute the certificate is published in: <c>UserCertificate</c> or <c>UserSmimeCertificate</c>.</summary>
    public UserCertificateAttributes Attribute { get; }

    /// <summary>The certificate's names, thumbprint and validity.</summary>
    public SmimeCaCertificate Certificate { get; }

    /// <summary>The e-mail addresses the certificate names (subjectAltName and the subject's emailAddress).</summary>
    public IReadOnlyList<string> EmailAddresses { get; }

    /// <summary>For <c>userSMIMECertificate</c>: whether the blob carrying it is signed by the user.</summary>
    public bool IsSigned { get; }

    /// <summary>The certificate (DER).</summary>
    public byte[] RawData => (byte[])_rawData.Clone();

    /// <summary>The attribute value the certificate was found in: the certificate itself, or the whole blob.</summary>
    public byte[] GetAttributeValue() => (byte[])_attributeValue.Clone();

    /// <summary>Lists the user certificates a recipient has published, <c>userCertificate</c> values first.</summary>
    /// <param name="recipient">The recipient.</param>
    /// <returns>One item per certificate and attribute; a certificate in both attributes is listed twice.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="recipient"/> is <see langword="null"/>.</exception>
    /// <exception cref="CertificateFormatException">A stored value cannot be read.</exception>
    public static IReadOnlyList<PublishedUserCertificate> Read(SmimeRecipient recipient)
    {
        if (recipient is null)
        {
            throw new ArgumentNullException(nameof(recipient));
        }

        var published = new List<PublishedUserCertificate>();
        foreach (byte[] certificate in recipient.UserCertificates)
        {
            published.Add(new PublishedUserCertificate(UserCertificateAttributes.UserCertificate, certificate, certificate, CertificateDer.Parse(certificate, 0), isSigned: false));
        }

        foreach (byte[] blob in recipient.UserSmimeCertificates)
        {
            UserSmimeCertificateInfo info = UserSmimeCertificateReader.Read(blob);
            foreach ((byte[] certificate, BcX509Certificate decoded) in UserCertificatesOf(info))
            {
                published.Add(new PublishedUserCertificate(UserCertificateAttributes.UserSmimeCertificate, blob, certificate, decoded, info.IsSigned));
            }
        }

        return published;
    }

    /// <summary>
    /// Removes published certificates from a recipient's draft: the <c>userCertificate</c> values with one of the
    /// thumbprints, and every <c>userSMIMECertificate</c> blob that carries one of them as a user certificate.
    /// </summary>
    /// <param name="draft">The recipient's draft.</param>
    /// <param name="thumbprints">SHA-1 thumbprints (hex, any case); <see langword="null"/> removes every certificate.</param>
    /// <param name="attributes">The attributes to remove from.</param>
    /// <param name="removed">The thumbprints, upper case, of the certificates removed.</param>
    /// <returns>The changes made, for the audit log.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="draft"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<SmimeSettingChange> RemoveFrom(
        SmimeRecipientDraft draft,
        IReadOnlyCollection<string>? thumbprints,
        UserCertificateAttributes attributes,
        out IReadOnlyCollection<string> removed)
    {
        if (draft is null)
        {
            throw new ArgumentNullException(nameof(draft));
        }

        var wanted = thumbprints is null ? null : new HashSet<string>(thumbprints, StringComparer.OrdinalIgnoreCase);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        bool Matches(byte[] certificate)
        {
            string thumbprint = SmimeRecipientDraft.DescribeCertificate(certificate);
            bool match = wanted is null || wanted.Contains(thumbprint);
            if (match)
            {
                found.Add(thumbprint);
            }

            return match;
        }

        // Looks at every certificate, not just up to the first match, so that all removed thumbprints are reported.
        bool CarriesMatch(byte[] blob)
        {
            bool any = false;
            foreach ((byte[] certificate, _) in UserCertificatesOf(UserSmimeCertificateReader.Read(blob)))
            {
                any |= Matches(certificate);
            }

            return any;
        }

        var changes = new List<SmimeSettingChange>();
        if ((attributes & UserCertificateAttributes.UserCertificate) != 0
            && draft.SetUserCertificates(draft.UserCertificates.Where(certificate => !Matches(certificate)).ToArray()) is SmimeSettingChange certificates)
        {
            changes.Add(certificates);
        }

        if ((attributes & UserCertificateAttributes.UserSmimeCertificate) != 0)
        {
            byte[][] kept = draft.UserSmimeCertificates
                .Where(blob => !CarriesMatch(blob))
                .ToArray();
            if (draft.SetUserSmimeCertificates(kept) is SmimeSettingChange blobs)
            {
                changes.Add(blobs);
            }
        }

        removed = found;
        return changes;
    }

    private static IEnumerable<(byte[] Der, BcX509Certificate Decoded)> UserCertificatesOf(UserSmimeCertificateInfo info) =>
        info.Certificates
            .Select(certificate => (certificate, CertificateDer.Parse(certificate, 0)))
            .Where(pair => !UserCertificateFile.IsCertificateAuthority(pair.Item2));

    private static IReadOnlyList<string> ReadAddresses(BcX509Certificate certificate)
    {
        try
        {
            return EmailAddressMatcher.Read(certificate);
        }
        catch (ArgumentException)
        {
            // An undecodable subjectAltName names no address; Test-SmimeCertificate reports it as malformed.
            return Array.Empty<string>();
        }
    }
}
