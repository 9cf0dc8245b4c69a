using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Asn1.X509;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Validation;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Messages;

/// <summary>
/// Signs and encrypts MIME messages as an organization's S/MIME settings say, with its certificate collection as the
/// only trust and its store as the directory of recipients' certificates.
/// </summary>
/// <remarks>
/// <para>
/// <b>Signing</b> (the switch, or OWAAlwaysSign): the first usable digest of OWASigningAlgorithms; clear
/// (multipart/signed) when OWAClearSign is set, else opaque (application/pkcs7-mime; smime-type=signed-data). The
/// signer's certificate must be valid for signing and for the From address. The SignedData carries the signing
/// certificate and the sender's other certificates unless OWASignedEmailCertificateInclusion is off (then none), and
/// the chain as OWAIncludeCertificateChainWithoutRootCertificate / ...AndRootCertificate say; the SMIMECapabilities
/// attribute, listing OWAEncryptionAlgorithms, when OWAIncludeSMIMECapabilitiesInMessage is set.
/// </para>
/// <para>
/// <b>Encryption</b> (the switch, or OWAAlwaysEncrypt): for every To, Cc and Bcc recipient a certificate from the store
/// that validates for encryption (see <see cref="RecipientCertificateFinder"/>); one recipient without one fails the
/// whole message and nothing is produced. The algorithm is the first of OWAEncryptionAlgorithms that every recipient of
/// the copy supports. Recipients are identified by subjectKeyIdentifier when OWAUseKeyIdentifier is set (and their
/// certificate has one). OWABCCEncryptedEmailForking: 0 makes one copy per Bcc recipient, 1 one copy for all of them,
/// 2 one message for everybody; with 0 and 1 the main message has no Bcc header and each copy names only its own.
/// Signed and encrypted mail is signed, then encrypted, then signed again when OWATripleWrapSignedEncryptedMail is set.
/// </para>
/// <para>
/// The organization's configuration is read once, when the protector is created; recipients' certificates and the
/// signer's validation are kept for the protector's lifetime, so one protector serves one pipeline of messages.
/// </para>
/// </remarks>
public sealed class SmimeMessageProtector : IDisposable
{
    private readonly SmimeSettings _settings;
    private readonly SmimeMessagePolicy _policy;
    private readonly SmimeCertificateCollection _collection;
    private readonly SmimeCertificateValidator _validator;
    private readonly RecipientCertificateFinder _finder;
    private readonly SmimeMessageContext _context;
    private readonly Func<DateTime> _utcNow;
    private readonly Dictionary<string, IReadOnlyList<BcX509Certificate>> _signatureCertificates = new(StringComparer.OrdinalIgnoreCase);

    // Recipients' certificates decoded once, so the context can keep their decoded keys.
    private readonly Dictionary<string, BcX509Certificate> _decoded = new(StringComparer.Ordinal);

    /// <summary>Reads the organization's settings and collection and prepares to protect messages.</summary>
    /// <param name="store">The store with the organization and its recipients.</param>
    /// <param name="organization">The organization.</param>
    /// <param name="crlSource">Retrieves CRLs for validation.</param>
    /// <param name="crlCache">Keeps CRLs between validations.</param>
    /// <param name="utcNow">The clock certificates are judged by.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="SmimeStoreException">The organization's configuration cannot be read.</exception>
    public SmimeMessageProtector(ISmimeStore store, string organization, ICrlSource crlSource, CrlCache crlCache, Func<DateTime> utcNow)
    {
        if (store is null)
        {
            throw new ArgumentNullException(nameof(store));
        }

        _utcNow = utcNow ?? throw new ArgumentNullException(nameof(utcNow));
        SmimeOrganizationConfig config = store.ReadConfig(organization ?? throw new ArgumentNullException(nameof(organization)));
        _settings = config.Settings.Clone();
        _policy = SmimeMessagePolicy.For(_settings);
        SmimeCertificateCollection collection = SmimeCertificateCollection.FromRecord(config.CertificateCollection);
        _collection = collection;
        _validator = new SmimeCertificateValidator(collection, _settings, crlSource, crlCache, utcNow);
        _finder = new RecipientCertificateFinder(store, organization, _settings, _validator, utcNow);
        _context = new SmimeMessageContext(collection, findRecipient: FindRecipient)
        {
            Capabilities = _settings.OWAIncludeSMIMECapabilitiesInMessage ? UserSmimeCertificateBuilder.CapabilityVector(_settings) : null,
        };
        foreach ((_, EncryptionAlgorithm cipher) in _policy.Ciphers)
        {
            // MimeKit leaves the weak ciphers off; the organization's list is what decides here.
            _context.Enable(cipher);
        }
    }

    /// <summary>The organization's settings in use (a copy).</summary>
    public SmimeSettings Settings => _settings.Clone();

    /// <inheritdoc/>
    public void Dispose() => _context.Dispose();

    /// <summary>
    /// Checks what does not depend on the message: that there is something to do (the switches or OWAAlwaysSign /
    /// OWAAlwaysEncrypt) and that a signer is given when signing.
    /// </summary>
    /// <exception cref="SmimeMessageException"><see cref="SmimeMessageErrorCode.NothingToDo"/> or <see cref="SmimeMessageErrorCode.SignerRequired"/>.</exception>
    public void CheckPlan(bool sign, bool encrypt, SmimeMessageSigner? signer)
    {
        if (!sign && !encrypt && !_settings.OWAAlwaysSign && !_settings.OWAAlwaysEncrypt)
        {
            throw new SmimeMessageException(SmimeMessageErrorCode.NothingToDo, null, Strings.MessageNothingToDo);
        }

        if ((sign || _settings.OWAAlwaysSign) && signer is null)
        {
            throw new SmimeMessageException(
                SmimeMessageErrorCode.SignerRequired,
                null,
                sign ? Strings.MessageSignerRequired : Strings.MessageSignerRequiredAlways);
        }
    }

    /// <summary>Signs and/or encrypts one message.</summary>
    /// <param name="message">The MIME message (an .eml file's bytes).</param>
    /// <param name="signer">The sender's key, or <see langword="null"/> when not signing.</param>
    /// <param name="sign">Sign; OWAAlwaysSign signs anyway.</param>
    /// <param name="encrypt">Encrypt; OWAAlwaysEncrypt encrypts anyway.</param>
    /// <param name="cancellationToken">Cancels validation and signing.</param>
    /// <returns>The messages to send: the main one first, then Bcc copies.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="SmimeMessageException">The message cannot be protected as the settings say; see <see cref="SmimeMessageException.Code"/>.</exception>
    public IReadOnlyList<SmimeProtectedMessage> Protect(byte[] message, SmimeMessageSigner? signer, bool sign, bool encrypt, CancellationToken cancellationToken = default)
    {
        MimeMessage parsed = SmimeMimeReader.Load(message ?? throw new ArgumentNullException(nameof(message)));
        CheckPlan(sign, encrypt, signer);
        sign |= _settings.OWAAlwaysSign;
        encrypt |= _settings.OWAAlwaysEncrypt;

        CmsSigner? cmsSigner = null;
        string? digestName = null;
        if (sign)
        {
            (cmsSigner, digestName) = PrepareSigner(parsed, signer!, cancellationToken);
        }

        List<(SmimeMessageCopy Copy, List<MailboxAddress> Recipients)> copies = encrypt
            ? PlanCopies(parsed)
            : new List<(SmimeMessageCopy, List<MailboxAddress>)> { (SmimeMessageCopy.Main, new List<MailboxAddress>()) };
        Dictionary<string, RecipientCertificate> certificates = encrypt
            ? ResolveRecipients(copies.SelectMany(copy => copy.Recipients), cancellationToken)
            : new Dictionary<string, RecipientCertificate>();

        MimeEntity body = parsed.Body ?? throw new SmimeMessageException(SmimeMessageErrorCode.NotMime, null, string.Format(CultureInfo.CurrentCulture, Strings.MessageNotMime, Strings.MessageNoBody));
        if (cmsSigner is not null)
        {
            body = SignEntity(body, cmsSigner, cancellationToken);
        }

        // With Bcc forking the Bcc recipients get their own copies, and the main message names none of them.
        List<MailboxAddress> mainBcc = copies.Any(copy => copy.Copy != SmimeMessageCopy.Main) ? new List<MailboxAddress>() : parsed.Bcc.Mailboxes.ToList();
        var results = new List<SmimeProtectedMessage>(copies.Count);
        foreach ((SmimeMessageCopy copy, List<MailboxAddress> recipients) in copies)
        {
            MimeEntity content = body;
            string? cipherName = null;
            if (encrypt)
            {
                (content, cipherName) = Encrypt(body, recipients, certificates, cancellationToken);
                if (cmsSigner is not null && _settings.OWATripleWrapSignedEncryptedMail)
                {
                    content = SignEntity(content, cmsSigner, cancellationToken);
                }
            }

            parsed.Body = content;
            parsed.Bcc.Clear();
            parsed.Bcc.AddRange(copy == SmimeMessageCopy.Main ? mainBcc : recipients);
            results.Add(new SmimeProtectedMessage(
                Write(parsed, cancellationToken),
                copy,
                encrypt ? recipients.Select(recipient => recipient.Address).ToArray() : Array.Empty<string>(),
                cmsSigner is null ? null : signer!.CertificateThumbprint,
                digestName,
                cipherName,
                _settings.OWAClearSign,
                encrypt && cmsSigner is not null && _settings.OWATripleWrapSignedEncryptedMail,
                encrypt && _settings.OWAUseKeyIdentifier));
        }

        return results;
    }

    private (CmsSigner Signer, string DigestName) PrepareSigner(MimeMessage message, SmimeMessageSigner signer, CancellationToken cancellationToken)
    {
        MailboxAddress from = message.From.Mailboxes.FirstOrDefault()
            ?? throw new SmimeMessageException(SmimeMessageErrorCode.NotMime, "From", Strings.MessageNoFrom);
        (var digestEntry, DigestAlgorithm digest) = _policy.ChooseDigest(signer.Key.KeyAlgorithm == "EC");
        BcX509Certificate certificate = Decode(signer.Key.Certificate);
        string cacheKey = signer.CertificateThumbprint + "|" + from.Address;
        if (!_signatureCertificates.TryGetValue(cacheKey, out IReadOnlyList<BcX509Certificate>? included))
        {
            SmimeValidationResult result = _validator.Validate(
                signer.Key.Certificate,
                signer.ChainCertificates,
                new[] { from.Address },
                SmimeCertificateUsage.Signing,
                _utcNow(),
                cancellationToken);
            if (!result.IsValid)
            {
                throw new SmimeMessageException(
                    SmimeMessageErrorCode.SignerCertificateInvalid,
                    signer.CertificateThumbprint,
                    string.Format(CultureInfo.CurrentCulture, Strings.MessageSignerInvalid, result.Certificate?.ToString() ?? signer.CertificateThumbprint, from.Address, RecipientCertificateFinder.Describe(result)));
            }

            included = SignatureCertificates(certificate, signer, result);
            _signatureCertificates[cacheKey] = included;
        }

        _context.SignatureCertificates = included;
        var cmsSigner = new CmsSigner(new[] { certificate }, signer.Key.PrivateKey, SubjectIdentifierType.IssuerAndSerialNumber)
        {
            DigestAlgorithm = digest,
        };
        return (cmsSigner, Describe(digestEntry));
    }

    private IReadOnlyList<BcX509Certificate> SignatureCertificates(BcX509Certificate certificate, SmimeMessageSigner signer, SmimeValidationResult result)
    {
        if (!_settings.OWASignedEmailCertificateInclusion)
        {
            return Array.Empty<BcX509Certificate>();
        }

        var included = new List<BcX509Certificate> { certificate };
        included.AddRange(signer.OtherUserCertificates.Select(other => CertificateDer.Parse(other, 0)));
        bool withRoot = _settings.OWAIncludeCertificateChainAndRootCertificate;
        if (withRoot || _settings.OWAIncludeCertificateChainWithoutRootCertificate)
        {
            var chain = result.Chain.Skip(1).Select(element => CertificateDer.Parse(element.RawData, 0)).ToList();
            if (withRoot && chain.Count > 0)
            {
                ExtendToRoot(chain);
            }

            included.AddRange(chain.Where(authority => withRoot || !authority.IssuerDN.Equivalent(authority.SubjectDN)));
        }

        return included;
    }

    // The chain ends at the first certificate of the collection, which may be an intermediate; the root above it is
    // looked for in the collection, by name and signature.
    private void ExtendToRoot(List<BcX509Certificate> chain)
    {
        while (chain.Count < SmimeCertificateValidator.MaxChainLength)
        {
            BcX509Certificate top = chain[chain.Count - 1];
            if (top.IssuerDN.Equivalent(top.SubjectDN))
            {
                return;
            }

            BcX509Certificate? issuer = _collection.Certificates
                .Select(ca => CertificateDer.Parse(ca.RawData, 0))
                .FirstOrDefault(candidate => candidate.SubjectDN.Equivalent(top.IssuerDN) && IsSignedBy(top, candidate));
            if (issuer is null)
            {
                return;
            }

            chain.Add(issuer);
        }
    }

    private static bool IsSignedBy(BcX509Certificate certificate, BcX509Certificate issuer)
    {
        try
        {
            certificate.Verify(issuer.GetPublicKey());
            return true;
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            return false;
        }
    }

    private MimeEntity SignEntity(MimeEntity entity, CmsSigner signer, CancellationToken cancellationToken) =>
        _settings.OWAClearSign
            ? MultipartSigned.Create(_context, signer, entity, cancellationToken)
            : ApplicationPkcs7Mime.Sign(_context, signer, entity, cancellationToken);

    private List<(SmimeMessageCopy, List<MailboxAddress>)> PlanCopies(MimeMessage message)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        List<MailboxAddress> visible = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Where(mailbox => seen.Add(mailbox.Address)).ToList();
        List<MailboxAddress> hidden = message.Bcc.Mailboxes.Where(mailbox => seen.Add(mailbox.Address)).ToList();
        if (visible.Count + hidden.Count == 0)
        {
            throw new SmimeMessageException(SmimeMessageErrorCode.NoRecipients, null, Strings.MessageNoRecipients);
        }

        var copies = new List<(SmimeMessageCopy, List<MailboxAddress>)>();
        if (hidden.Count == 0 || _settings.OWABCCEncryptedEmailForking >= 2)
        {
            copies.Add((SmimeMessageCopy.Main, visible.Concat(hidden).ToList()));
            return copies;
        }

        if (visible.Count > 0)
        {
            copies.Add((SmimeMessageCopy.Main, visible));
        }

        if (_settings.OWABCCEncryptedEmailForking == 1)
        {
            copies.Add((SmimeMessageCopy.AllBccRecipients, hidden));
        }
        else
        {
            copies.AddRange(hidden.Select(mailbox => (SmimeMessageCopy.BccRecipient, new List<MailboxAddress> { mailbox })));
        }

        return copies;
    }

    private Dictionary<string, RecipientCertificate> ResolveRecipients(IEnumerable<MailboxAddress> recipients, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, RecipientCertificate>(StringComparer.OrdinalIgnoreCase);
        var missing = new List<RecipientCertificate>();
        foreach (MailboxAddress recipient in recipients)
        {
            if (!found.ContainsKey(recipient.Address))
            {
                RecipientCertificate certificate = _finder.Find(recipient.Address, cancellationToken);
                found[recipient.Address] = certificate;
                if (certificate.Certificate is null)
                {
                    missing.Add(certificate);
                }
            }
        }

        if (missing.Count > 0)
        {
            string details = string.Join(Environment.NewLine, missing.Select(recipient => recipient.Address + ": " + recipient.Problem));
            throw new SmimeMessageException(
                SmimeMessageErrorCode.RecipientCertificateUnavailable,
                string.Join(", ", missing.Select(recipient => recipient.Address)),
                string.Format(CultureInfo.CurrentCulture, Strings.MessageRecipientsUnavailable, missing.Count, details));
        }

        return found;
    }

    private (MimeEntity Content, string CipherName) Encrypt(
        MimeEntity body, List<MailboxAddress> recipients, Dictionary<string, RecipientCertificate> certificates, CancellationToken cancellationToken)
    {
        bool keyAgreement = recipients.Any(recipient => SmimeEnvelope.HasEcKey(Decode(certificates[recipient.Address].Certificate!)));
        (var entry, EncryptionAlgorithm cipher) = _policy.ChooseCipher(recipients.Select(recipient => certificates[recipient.Address].Capabilities), keyAgreement);
        var collection = new CmsRecipientCollection();
        foreach (MailboxAddress recipient in recipients)
        {
            collection.Add(CreateRecipient(certificates[recipient.Address].Certificate!, cipher));
        }

        return (ApplicationPkcs7Mime.Encrypt(_context, collection, body, cancellationToken), Describe(entry));
    }

    private BcX509Certificate Decode(byte[] der)
    {
        string key = Convert.ToBase64String(der);
        if (!_decoded.TryGetValue(key, out BcX509Certificate? certificate))
        {
            certificate = CertificateDer.Parse(der, 0);
            _decoded[key] = certificate;
        }

        return certificate;
    }

    private CmsRecipient CreateRecipient(byte[] der, EncryptionAlgorithm cipher)
    {
        BcX509Certificate certificate = Decode(der);
        bool byKeyIdentifier = _settings.OWAUseKeyIdentifier && certificate.GetExtensionValue(X509Extensions.SubjectKeyIdentifier) is not null;
        return new CmsRecipient(certificate, byKeyIdentifier ? SubjectIdentifierType.SubjectKeyIdentifier : SubjectIdentifierType.IssuerAndSerialNumber)
        {
            EncryptionAlgorithms = new[] { cipher },
        };
    }

    // Lets MimeKit's own Encrypt(mailboxes) overloads use the store too; Protect resolves recipients itself first.
    private CmsRecipient FindRecipient(MailboxAddress mailbox)
    {
        RecipientCertificate found = _finder.Find(mailbox.Address, CancellationToken.None);
        if (found.Certificate is null)
        {
            throw new CertificateNotFoundException(mailbox, found.Problem ?? string.Empty);
        }

        return CreateRecipient(found.Certificate, _policy.ChooseCipher(new[] { found.Capabilities }, SmimeEnvelope.HasEcKey(Decode(found.Certificate))).Algorithm);
    }

    private static byte[] Write(MimeMessage message, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        message.WriteTo(SmimeMimeReader.WireFormat, output, cancellationToken);
        return output.ToArray();
    }

    private static string Describe(SmimeAlgorithmEntry entry) => entry + " (" + entry.Algorithm.DisplayName + ")";
}
