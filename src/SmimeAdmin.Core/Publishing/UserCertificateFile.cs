using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pkcs;
using SmimeAdmin.Core.Certificates;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Publishing;

/// <summary>
/// Reads the file an administrator publishes for a user: the user's certificate(s), any CA certificates with them,
/// and, from a PKCS #12 file only, the private key that signs the <c>userSMIMECertificate</c>.
/// </summary>
/// <remarks>
/// <para>
/// Accepted: everything <see cref="CertificateFile.Read"/> accepts (<c>.cer</c>/<c>.crt</c> in DER or PEM,
/// <c>.pem</c>, <c>.p7b</c>, <c>.sst</c>), and PKCS #12 (<c>.pfx</c>, <c>.p12</c>), told apart by content.
/// </para>
/// <para>
/// The user's certificates are those that are not certification authorities (no basicConstraints with cA set, and not
/// a self-issued version 1 root); when there are several, e.g. a signing and an encryption certificate, all are the
/// user's. The others are the chain.
/// </para>
/// <para>
/// Private keys are read from PKCS #12 only. PEM text with a private-key block is refused, with a message that says to
/// use a .pfx: PKCS #12 is what Windows and Exchange export a user's certificate with its key in, it carries the
/// link between key and certificate, and refusing PEM keys keeps a key in a text file from being taken in by accident.
/// A password given for a file that is not PKCS #12 is not used.
/// </para>
/// </remarks>
public static class UserCertificateFile
{
    private const byte Sequence = 0x30;
    private const byte Integer = 0x02;
    private const byte Pkcs12Version = 3;
    private static readonly byte[] s_privateKeyLabelEnd = Encoding.ASCII.GetBytes("PRIVATE KEY-----");

    /// <summary>Reads a user's certificate file.</summary>
    /// <param name="content">The file content.</param>
    /// <param name="password">The PKCS #12 password; <see langword="null"/> tries the empty password Windows uses for "no password".</param>
    /// <returns>The user's certificates, the chain certificates and, from PKCS #12, the signing key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is <see langword="null"/>.</exception>
    /// <exception cref="CertificatePasswordException">A PKCS #12 file does not open with the password (or without one).</exception>
    /// <exception cref="CertificateFormatException">
    /// The content is in none of the accepted formats, holds a PEM private key, holds no certificate that is not a CA,
    /// or holds a key SmimeAdmin cannot sign with.
    /// </exception>
    public static UserCertificateFileContent Read(byte[] content, string? password)
    {
        if (content is null)
        {
            throw new ArgumentNullException(nameof(content));
        }

        if (IsPkcs12(content))
        {
            return ReadPkcs12(content, password);
        }

        RefusePemPrivateKey(content);
        CertificateFileContent file = CertificateFile.Read(content);
        UserCertificateFileFormat format = file.Format switch
        {
            CertificateFileFormat.SerializedStore => UserCertificateFileFormat.SerializedStore,
            CertificateFileFormat.Pem => UserCertificateFileFormat.Pem,
            CertificateFileFormat.Der => UserCertificateFileFormat.Der,
            _ => UserCertificateFileFormat.Pkcs7,
        };
        return Classify(format, file.Certificates, null);
    }

    /// <summary>Sorts certificates given as DER into the user's certificates and their chain, as <see cref="Read"/> does.</summary>
    /// <param name="certificates">DER X.509 certificates, for example the raw data of <c>X509Certificate2</c> objects.</param>
    /// <returns>The user's certificates and the chain certificates; never a key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="certificates"/> or an item is <see langword="null"/>.</exception>
    /// <exception cref="CertificateFormatException">An item is not an X.509 certificate, or every one is a CA's.</exception>
    public static UserCertificateFileContent FromCertificates(IEnumerable<byte[]> certificates)
    {
        if (certificates is null)
        {
            throw new ArgumentNullException(nameof(certificates));
        }

        var list = new List<byte[]>();
        foreach (byte[] certificate in certificates)
        {
            EncodedValues.AddDistinct(list, (byte[])(certificate ?? throw new ArgumentNullException(nameof(certificates))).Clone());
        }

        return Classify(UserCertificateFileFormat.Certificates, list, null);
    }

    /// <summary>Whether a certificate is a certification authority: basicConstraints cA, or a self-issued version 1 root.</summary>
    internal static bool IsCertificateAuthority(BcX509Certificate certificate) =>
        certificate.GetBasicConstraints() >= 0
        || (certificate.Version == 1 && certificate.IssuerDN.Equivalent(certificate.SubjectDN));

    // PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }; no certificate or
    // PKCS #7 file starts with an INTEGER.
    private static bool IsPkcs12(byte[] content)
    {
        try
        {
            Asn1Element outer = Asn1Element.Read(content, 0, content.Length, 0);
            if (outer.Tag != Sequence || outer.End != content.Length || outer.ContentLength == 0)
            {
                return false;
            }

            Asn1Element version = Asn1Element.Read(content, outer.ContentOffset, outer.ContentEnd, 0);
            return version.Tag == Integer && version.ContentLength == 1 && content[version.ContentOffset] == Pkcs12Version;
        }
        catch (CertificateFormatException)
        {
            return false;
        }
    }

    private static void RefusePemPrivateKey(byte[] content)
    {
        byte[] text = PemText.ToSingleByteText(content, out _, out _);
        if (!PemText.HasBeginMarker(text))
        {
            return;
        }

        for (int i = 0; i + s_privateKeyLabelEnd.Length <= text.Length; i++)
        {
            if (text.AsSpan(i, s_privateKeyLabelEnd.Length).SequenceEqual(s_privateKeyLabelEnd))
            {
                throw new CertificateFormatException(0, Strings.UserCertificatePemPrivateKey);
            }
        }
    }

    private static UserCertificateFileContent ReadPkcs12(byte[] content, string? password)
    {
        Pkcs12Store store = LoadPkcs12(content, password);
        var certificates = new List<byte[]>();
        SmimeSigningKey? signingKey = null;
        foreach (string alias in store.Aliases.ToList())
        {
            if (store.IsKeyEntry(alias))
            {
                X509CertificateEntry[]? chain = store.GetCertificateChain(alias);
                if (chain is null || chain.Length == 0)
                {
                    continue;
                }

                foreach (X509CertificateEntry entry in chain)
                {
                    EncodedValues.AddDistinct(certificates, entry.Certificate.GetEncoded());
                }

                AsymmetricKeyParameter key = store.GetKey(alias).Key;
                BcX509Certificate keyCertificate = chain[0].Certificate;
                if (signingKey is null || (!CanSign(CertificateDer.Parse(signingKey.Certificate, 0)) && CanSign(keyCertificate)))
                {
                    signingKey = CreateKey(key, keyCertificate);
                }
            }
            else if (store.GetCertificate(alias) is X509CertificateEntry entry)
            {
                EncodedValues.AddDistinct(certificates, entry.Certificate.GetEncoded());
            }
        }

        if (signingKey is not null)
        {
            // The key's own certificate comes first among the user's.
            int index = certificates.FindIndex(certificate => certificate.AsSpan().SequenceEqual(signingKey.Certificate));
            byte[] first = certificates[index];
            certificates.RemoveAt(index);
            certificates.Insert(0, first);
        }

        return Classify(UserCertificateFileFormat.Pkcs12, certificates, signingKey);
    }

    internal static Pkcs12Store LoadPkcs12(byte[] content, string? password)
    {
        Pkcs12Store store = new Pkcs12StoreBuilder().Build();
        try
        {
            store.Load(new MemoryStream(content, writable: false), (password ?? string.Empty).ToCharArray());
            return store;
        }
        catch (Exception ex) when (IsPasswordFailure(ex))
        {
            throw new CertificatePasswordException(password is not null, ex);
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            throw new CertificateFormatException(
                0,
                string.Format(CultureInfo.CurrentCulture, Strings.UserCertificatePkcs12Invalid, ex.Message),
                ex);
        }
    }

    // The integrity (MAC) check fails on a wrong password; a file without a MAC fails to decrypt its bags instead.
    private static bool IsPasswordFailure(Exception exception) =>
        exception is InvalidCipherTextException
        || (exception is IOException && exception.Message.IndexOf("wrong password", StringComparison.OrdinalIgnoreCase) >= 0);

    private static SmimeSigningKey CreateKey(AsymmetricKeyParameter key, BcX509Certificate certificate)
    {
        try
        {
            return new SmimeSigningKey(key, certificate.GetEncoded());
        }
        catch (ArgumentException ex)
        {
            throw new CertificateFormatException(
                0,
                string.Format(CultureInfo.CurrentCulture, Strings.UserCertificateKeyUnsupported, key.GetType().Name),
                ex);
        }
    }

    // A certificate that may sign mail: no keyUsage, or digitalSignature or nonRepudiation in it.
    private static bool CanSign(BcX509Certificate certificate)
    {
        bool[]? usage = certificate.GetKeyUsage();
        return !IsCertificateAuthority(certificate) && (usage is null || usage[0] || usage[1]);
    }


    private static UserCertificateFileContent Classify(UserCertificateFileFormat format, IReadOnlyList<byte[]> certificates, SmimeSigningKey? signingKey)
    {
        var user = new List<byte[]>();
        var chain = new List<byte[]>();
        foreach (byte[] certificate in certificates)
        {
            List<byte[]> target = IsCertificateAuthority(CertificateDer.Parse(certificate, 0)) ? chain : user;
            EncodedValues.AddDistinct(target, certificate);
        }

        if (user.Count == 0)
        {
            throw new CertificateFormatException(
                0,
                string.Format(CultureInfo.CurrentCulture, Strings.UserCertificateNoEndEntity, certificates.Count));
        }

        if (signingKey is not null && !EncodedValues.Contains(user, signingKey.Certificate))
        {
            // A key whose certificate is a CA's is not a user's signing key.
            signingKey = null;
        }

        return new UserCertificateFileContent(format, user.AsReadOnly(), chain.AsReadOnly(), signingKey);
    }
}
