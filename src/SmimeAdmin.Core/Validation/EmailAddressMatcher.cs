using System;
using System.Collections.Generic;
using System.Globalization;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Validation;

/// <summary>Finds the email addresses a certificate binds and compares them with a mail address (RFC 8550 section 3).</summary>
internal static class EmailAddressMatcher
{
    /// <summary>id-on-SmtpUTF8Mailbox, the otherName form for internationalized addresses (RFC 9598).</summary>
    internal const string SmtpUtf8MailboxOid = "1.3.6.1.5.5.7.8.9";

    /// <summary>
    /// The addresses in subjectAltName (rfc822Name, then SmtpUTF8Mailbox) and in the subject's emailAddress
    /// attributes, each once.
    /// </summary>
    /// <exception cref="ArgumentException">subjectAltName cannot be decoded (BouncyCastle throws various types).</exception>
    public static IReadOnlyList<string> Read(BcX509Certificate certificate)
    {
        var addresses = new List<string>();
        GeneralNames? alternativeNames = certificate.GetSubjectAlternativeNameExtension();
        if (alternativeNames is not null)
        {
            GeneralName[] names = alternativeNames.GetNames();
            foreach (GeneralName name in names)
            {
                if (name.TagNo == GeneralName.Rfc822Name)
                {
                    Add(addresses, DerIA5String.GetInstance(name.Name).GetString());
                }
            }

            foreach (GeneralName name in names)
            {
                if (name.TagNo == GeneralName.OtherName
                    && OtherName.GetInstance(name.Name) is { } other
                    && other.TypeID.Id == SmtpUtf8MailboxOid)
                {
                    Add(addresses, DerUtf8String.GetInstance(other.Value).GetString());
                }
            }
        }

        foreach (string address in certificate.TbsCertificate.Subject.GetValueList(X509Name.EmailAddress))
        {
            Add(addresses, address);
        }

        return addresses;
    }

    /// <summary>Whether a requested address is the same mailbox as an address in a certificate.</summary>
    /// <remarks>
    /// The domain is compared without regard to case, internationalized domains in their ASCII (A-label) form. The
    /// local part is compared without regard to case when both are ASCII, as RFC 8550 recommends (mail systems treat
    /// ASCII local parts case-insensitively in practice), and exactly otherwise: RFC 9598 gives no case folding for
    /// internationalized local parts. An address without <c>@</c> only matches the same text, ignoring case.
    /// </remarks>
    public static bool Matches(string requested, string certified)
    {
        int requestedAt = requested.LastIndexOf('@');
        int certifiedAt = certified.LastIndexOf('@');
        if (requestedAt <= 0 || certifiedAt <= 0)
        {
            return string.Equals(requested, certified, StringComparison.OrdinalIgnoreCase);
        }

        if (!string.Equals(AsciiDomain(requested.Substring(requestedAt + 1)), AsciiDomain(certified.Substring(certifiedAt + 1)), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string requestedLocal = requested.Substring(0, requestedAt);
        string certifiedLocal = certified.Substring(0, certifiedAt);
        return string.Equals(
            requestedLocal,
            certifiedLocal,
            IsAscii(requestedLocal) && IsAscii(certifiedLocal) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private static void Add(List<string> addresses, string address)
    {
        if (address.Length > 0 && !addresses.Contains(address))
        {
            addresses.Add(address);
        }
    }

    private static string AsciiDomain(string domain)
    {
        domain = domain.TrimEnd('.');
        if (IsAscii(domain))
        {
            return domain;
        }

        try
        {
            return new IdnMapping().GetAscii(domain);
        }
        catch (ArgumentException)
        {
            return domain;
        }
    }

    private static bool IsAscii(string text)
    {
        foreach (char c in text)
        {
            if (c > '\x7F')
            {
                return false;
            }
        }

        return true;
    }
}
