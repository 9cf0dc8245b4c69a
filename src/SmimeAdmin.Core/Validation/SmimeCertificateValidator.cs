using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Asn1;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Validation;

/// <summary>
/// Decides whether a user certificate is usable for S/MIME the way Outlook on the web does with an organization's
/// settings: a chain to the organization's certificate collection, validity periods, CA constraints, key usage,
/// extended key usage, email address and revocation (RFC 5280, RFC 8550).
/// </summary>
/// <remarks>
/// <para>
/// <b>Chain.</b> Issuers are looked for by subject name among the organization's certificates and the additional
/// intermediates given with the certificate; a candidate whose subjectKeyIdentifier matches the certificate's
/// authorityKeyIdentifier is tried first, then candidates valid at the validation time, then certificates of the
/// collection. Each link's signature is verified. The chain ends at the first certificate of the collection, root or
/// intermediate (it is the trust anchor, as the collection is what Exchange Online trusts), and is at most
/// <see cref="MaxChainLength"/> certificates long. Every CA certificate of the chain, the anchor included, must be
/// within its validity period, be a CA (basicConstraints cA, or a self-issued version 1 root), allow keyCertSign
/// when it has keyUsage, and respect its pathLenConstraint.
/// </para>
/// <para>
/// <b>Addresses.</b> A certificate that names no address is accepted for any address (RFC 8550 section 3: the binding
/// may come from elsewhere, such as the directory). Otherwise every requested address must be one the certificate
/// names in subjectAltName (rfc822Name or SmtpUTF8Mailbox) or in the subject's emailAddress attribute. Domains are
/// compared ignoring case; ASCII local parts are also compared ignoring case, as RFC 8550 recommends; local parts
/// with non-ASCII characters are compared exactly (RFC 9598 defines no case folding for them).
/// </para>
/// <para>
/// <b>Revocation</b>, unless <see cref="SmimeSettings.OWADisableCRLCheck"/> is set, for the user certificate and each
/// intermediate below the trust anchor (certificates of the collection are trusted as they are). CRLs come from the
/// certificate's http and https CRL distribution points, through the <see cref="CrlCache"/>, and must be complete
/// CRLs from the certificate's issuer, signed with its key. A certificate listed with a revocation date at or before
/// the validation time is revoked, whatever the settings. When no usable CRL can be had, the finding is an error if
/// <see cref="SmimeSettings.OWACheckCRLOnSend"/> is set and a warning otherwise.
/// </para>
/// <para>
/// <b>Time limits.</b> Each retrieval (connecting, sending the request and reading the CRL) may take <see cref="SmimeSettings.OWACRLConnectionTimeout"/> milliseconds, and
/// all retrievals of one validation together <see cref="SmimeSettings.OWACRLRetrievalTimeout"/> milliseconds; a
/// retrieval gets whichever is less of its own limit and what is left. Exchange documents no special meaning for 0,
/// so 0 is taken literally: no time, so no CRL is retrieved (a CRL already in the cache is still used) and the
/// status is unknown. Time spent outside retrievals does not count.
/// </para>
/// <para>
/// The validator keeps the collection's decoded public keys, so validating many certificates against the same
/// collection decodes each CA key once. It is safe to use from several threads at once; the settings are copied when
/// it is created.
/// </para>
/// </remarks>
public sealed class SmimeCertificateValidator
{
    /// <summary>The most certificates a chain may have, the user certificate and the trust anchor included.</summary>
    public const int MaxChainLength = 10;

    private const string EmailProtectionOid = "1.3.6.1.5.5.7.3.4";
    private const string AnyExtendedKeyUsageOid = "2.5.29.37.0";

    private static readonly string[] s_keyUsageNames =
    {
        "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly",
    };

    private readonly Dictionary<string, List<CertificateNode>> _collectionBySubject = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CertificateNode> _collectionByThumbprint = new(StringComparer.Ordinal);
    private readonly SmimeSettings _settings;
    private readonly ICrlSource _crlSource;
    private readonly CrlCache _crlCache;
    private readonly Func<DateTime> _utcNow;

    /// <summary>Creates a validator for one organization.</summary>
    /// <param name="trustedCertificates">The organization's certificate collection: every certificate is a trust anchor.</param>
    /// <param name="settings">The organization's S/MIME settings; copied.</param>
    /// <param name="crlSource">Retrieves CRLs, normally an <see cref="HttpCrlSource"/>.</param>
    /// <param name="crlCache">Keeps CRLs between validations; may be shared by validators.</param>
    /// <param name="utcNow">The clock that judges whether a CRL is out of date.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public SmimeCertificateValidator(
        SmimeCertificateCollection trustedCertificates,
        SmimeSettings settings,
        ICrlSource crlSource,
        CrlCache crlCache,
        Func<DateTime> utcNow)
    {
        if (trustedCertificates is null)
        {
            throw new ArgumentNullException(nameof(trustedCertificates));
        }

        _settings = settings?.Clone() ?? throw new ArgumentNullException(nameof(settings));
        _crlSource = crlSource ?? throw new ArgumentNullException(nameof(crlSource));
        _crlCache = crlCache ?? throw new ArgumentNullException(nameof(crlCache));
        _utcNow = utcNow ?? throw new ArgumentNullException(nameof(utcNow));

        foreach (SmimeCaCertificate certificate in trustedCertificates.Certificates)
        {
            CertificateNode node = CertificateNode.FromCa(certificate, inCollection: true);
            _collectionByThumbprint[node.Thumbprint] = node;
            AddBySubject(_collectionBySubject, node);
        }
    }

    /// <summary>Validates a user certificate for S/MIME.</summary>
    /// <param name="endEntityDer">The user certificate, DER encoded.</param>
    /// <param name="extraIntermediates">
    /// Further certificates that may complete the chain (for example those that came with a signed message);
    /// <see langword="null"/> for none. They are never trust anchors; unreadable ones are ignored with a warning.
    /// </param>
    /// <param name="emailAddresses">The addresses the certificate must be for; <see langword="null"/> or empty for no address check.</param>
    /// <param name="usage">What the certificate must be usable for.</param>
    /// <param name="atUtc">The validation time (an unspecified kind is read as UTC, a local time is converted).</param>
    /// <param name="cancellationToken">Cancels the validation, including CRL retrievals.</param>
    /// <returns>The result; failures are reported in it, not thrown.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endEntityDer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An additional certificate or an address is <see langword="null"/>, or an address is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="usage"/> is not a defined value.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public SmimeValidationResult Validate(
        byte[] endEntityDer,
        IEnumerable<byte[]>? extraIntermediates,
        IReadOnlyCollection<string>? emailAddresses,
        SmimeCertificateUsage usage,
        DateTime atUtc,
        CancellationToken cancellationToken) =>
        ValidateAsync(endEntityDer, extraIntermediates, emailAddresses, usage, atUtc, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Validates a user certificate for S/MIME; see <see cref="Validate"/>.</summary>
    /// <param name="endEntityDer">The user certificate, DER encoded.</param>
    /// <param name="extraIntermediates">Further certificates that may complete the chain; <see langword="null"/> for none.</param>
    /// <param name="emailAddresses">The addresses the certificate must be for; <see langword="null"/> or empty for no address check.</param>
    /// <param name="usage">What the certificate must be usable for.</param>
    /// <param name="atUtc">The validation time.</param>
    /// <param name="cancellationToken">Cancels the validation, including CRL retrievals.</param>
    /// <returns>The result; failures are reported in it, not thrown.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endEntityDer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An additional certificate or an address is <see langword="null"/>, or an address is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="usage"/> is not a defined value.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<SmimeValidationResult> ValidateAsync(
        byte[] endEntityDer,
        IEnumerable<byte[]>? extraIntermediates,
        IReadOnlyCollection<string>? emailAddresses,
        SmimeCertificateUsage usage,
        DateTime atUtc,
        CancellationToken cancellationToken) =>
        ValidateAsync(endEntityDer, extraIntermediates, emailAddresses, anyAddress: false, usage, atUtc, cancellationToken);

    /// <summary>
    /// Validates a certificate to be found for a recipient: as <see cref="Validate"/>, except that the certificate
    /// need name only one of the recipient's addresses (its primary address or a proxy address), as a sender looking
    /// the recipient up by any of them would accept it.
    /// </summary>
    /// <param name="endEntityDer">The user certificate, DER encoded.</param>
    /// <param name="extraIntermediates">Further certificates that may complete the chain; <see langword="null"/> for none.</param>
    /// <param name="recipientAddresses">The recipient's addresses; empty for no address check.</param>
    /// <param name="usage">What the certificate must be usable for.</param>
    /// <param name="atUtc">The validation time.</param>
    /// <param name="cancellationToken">Cancels the validation, including CRL retrievals.</param>
    /// <returns>The result; an <see cref="SmimeValidationReason.AddressMismatch"/> failure when the certificate names none of the addresses.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endEntityDer"/> or <paramref name="recipientAddresses"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An additional certificate or an address is <see langword="null"/>, or an address is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="usage"/> is not a defined value.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public SmimeValidationResult ValidateForRecipient(
        byte[] endEntityDer,
        IEnumerable<byte[]>? extraIntermediates,
        IReadOnlyCollection<string> recipientAddresses,
        SmimeCertificateUsage usage,
        DateTime atUtc,
        CancellationToken cancellationToken) =>
        ValidateAsync(
            endEntityDer,
            extraIntermediates,
            recipientAddresses ?? throw new ArgumentNullException(nameof(recipientAddresses)),
            anyAddress: true,
            usage,
            atUtc,
            cancellationToken).GetAwaiter().GetResult();

    private async Task<SmimeValidationResult> ValidateAsync(
        byte[] endEntityDer,
        IEnumerable<byte[]>? extraIntermediates,
        IReadOnlyCollection<string>? emailAddresses,
        bool anyAddress,
        SmimeCertificateUsage usage,
        DateTime atUtc,
        CancellationToken cancellationToken)
    {
        if (endEntityDer is null)
        {
            throw new ArgumentNullException(nameof(endEntityDer));
        }

        BouncyCastleProperties.PinForThisThread();

        if (usage is not (SmimeCertificateUsage.Signing or SmimeCertificateUsage.Encryption or SmimeCertificateUsage.Both))
        {
            throw new ArgumentOutOfRangeException(nameof(usage), usage, null);
        }

        IReadOnlyCollection<string> requested = CheckAddresses(emailAddresses);
        List<byte[]> extras = CheckExtras(extraIntermediates);
        cancellationToken.ThrowIfCancellationRequested();
        atUtc = atUtc.Kind == DateTimeKind.Local ? atUtc.ToUniversalTime() : DateTime.SpecifyKind(atUtc, DateTimeKind.Utc);

        var failures = new List<SmimeValidationFailure>();
        byte[] raw = (byte[])endEntityDer.Clone();
        BcX509Certificate decoded;
        try
        {
            decoded = CertificateDer.Parse(raw, 0);
        }
        catch (CertificateFormatException ex)
        {
            failures.Add(new SmimeValidationFailure(
                SmimeValidationReason.MalformedCertificate,
                SmimeValidationSeverity.Error,
                ValidationText.Format(Strings.ValidationCertificateMalformed, ex.Reason),
                null));
            return new SmimeValidationResult(null, Array.Empty<SmimeChainElement>(), failures, usage, atUtc);
        }

        string thumbprint = HexText.Upper(SerializedCertificateStore.Sha1(raw));
        CertificateNode endEntity = CertificateNode.FromEndEntity(raw, thumbprint, decoded, _collectionByThumbprint.ContainsKey(thumbprint));
        EndEntityDetails details = ReadDetails(endEntity, failures);
        Dictionary<string, List<CertificateNode>>? extrasBySubject = DecodeExtras(extras, endEntity, failures);

        CheckValidity(endEntity, atUtc, failures);
        List<CertificateNode> chain = BuildChain(endEntity, extrasBySubject, atUtc, out bool complete, failures);
        if (complete)
        {
            CheckAuthorities(chain, atUtc, failures);
        }

        CheckKeyUsage(endEntity, details.KeyUsage, usage, failures);
        CheckExtendedKeyUsage(endEntity, details, failures);
        CheckAddresses(endEntity, details.EmailAddresses, requested, anyAddress, failures);

        if (complete && !_settings.OWADisableCRLCheck)
        {
            var revocation = new RevocationChecker(_crlSource, _crlCache, _settings, _utcNow, cancellationToken);
            for (int i = 0; i < chain.Count - 1; i++)
            {
                IReadOnlyList<Uri>? points = i == 0 ? details.CrlDistributionPoints : ReadDistributionPoints(chain[i], failures);
                if (points is not null)
                {
                    await revocation.CheckAsync(chain[i], points, chain[i + 1], i == 0, atUtc, failures).ConfigureAwait(false);
                }
            }
        }

        var certificate = new SmimeEndEntityCertificate(
            endEntity.Element,
            details.EmailAddresses,
            details.KeyAlgorithm,
            details.KeyUsage,
            details.ExtendedKeyUsages,
            details.CrlDistributionPoints ?? Array.Empty<Uri>());
        return new SmimeValidationResult(certificate, chain.Select(node => node.Element).ToArray(), failures, usage, atUtc);
    }

    private static void AddBySubject(Dictionary<string, List<CertificateNode>> index, CertificateNode node)
    {
        if (!index.TryGetValue(node.Subject, out List<CertificateNode>? nodes))
        {
            nodes = new List<CertificateNode>(1);
            index.Add(node.Subject, nodes);
        }

        nodes.Add(node);
    }

    private static IReadOnlyCollection<string> CheckAddresses(IReadOnlyCollection<string>? emailAddresses)
    {
        if (emailAddresses is null)
        {
            return Array.Empty<string>();
        }

        int index = 0;
        foreach (string address in emailAddresses)
        {
            if (string.IsNullOrEmpty(address))
            {
                throw new ArgumentException(ValidationText.Format(Strings.ValidationAddressNull, index), nameof(emailAddresses));
            }

            index++;
        }

        return emailAddresses;
    }

    private static List<byte[]> CheckExtras(IEnumerable<byte[]>? extraIntermediates)
    {
        var list = extraIntermediates is null ? new List<byte[]>() : new List<byte[]>(extraIntermediates);
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException(ValidationText.Format(Strings.ValidationIntermediateNull, i), nameof(extraIntermediates));
            }
        }

        return list;
    }

    private static SmimeValidationFailure Error(SmimeValidationReason code, CertificateNode certificate, string format, params object?[] details) =>
        new(code, SmimeValidationSeverity.Error, ValidationText.About(format, certificate, details), certificate.Element);

    private static SmimeValidationFailure Malformed(CertificateNode certificate, string extension, Exception exception) =>
        Error(SmimeValidationReason.MalformedCertificate, certificate, Strings.ValidationExtensionMalformed, extension, exception.Message);

    private static EndEntityDetails ReadDetails(CertificateNode endEntity, List<SmimeValidationFailure> failures)
    {
        BcX509Certificate certificate = endEntity.Certificate;
        var details = new EndEntityDetails
        {
            KeyAlgorithm = AlgorithmNames.PublicKey(certificate.SubjectPublicKeyInfo.Algorithm.Algorithm.Id),
            KeyUsage = endEntity.GetKeyUsage(),
        };

        try
        {
            details.EmailAddresses = EmailAddressMatcher.Read(certificate);
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            failures.Add(Malformed(endEntity, "subjectAltName", ex));
        }

        try
        {
            details.ExtendedKeyUsages = certificate.GetExtendedKeyUsage()?.Select(oid => oid.Id).ToArray();
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            failures.Add(Malformed(endEntity, "extendedKeyUsage", ex));
        }

        details.CrlDistributionPoints = ReadDistributionPoints(endEntity, failures);
        return details;
    }

    private static IReadOnlyList<Uri>? ReadDistributionPoints(CertificateNode certificate, List<SmimeValidationFailure> failures)
    {
        try
        {
            return certificate.GetCrlDistributionPoints();
        }
        catch (Exception ex) when (CertificateDer.IsDecodingFailure(ex))
        {
            failures.Add(Malformed(certificate, "cRLDistributionPoints", ex));
            return null;
        }
    }

    private static void CheckValidity(CertificateNode endEntity, DateTime atUtc, List<SmimeValidationFailure> failures)
    {
        if (atUtc > endEntity.NotAfter)
        {
            failures.Add(Error(SmimeValidationReason.Expired, endEntity, Strings.ValidationExpired, endEntity.NotAfter, atUtc));
        }
        else if (atUtc < endEntity.NotBefore)
        {
            failures.Add(Error(SmimeValidationReason.NotYetValid, endEntity, Strings.ValidationNotYetValid, endEntity.NotBefore, atUtc));
        }
    }

    private static void CheckAuthorities(List<CertificateNode> chain, DateTime atUtc, List<SmimeValidationFailure> failures)
    {
        int intermediatesBelow = 0;
        for (int i = 1; i < chain.Count; i++)
        {
            CertificateNode authority = chain[i];
            SmimeCaCertificate ca = authority.Ca!;
            if (atUtc > authority.NotAfter)
            {
                failures.Add(Error(SmimeValidationReason.IssuerExpired, authority, Strings.ValidationIssuerExpired, authority.NotAfter, atUtc));
            }
            else if (atUtc < authority.NotBefore)
            {
                failures.Add(Error(SmimeValidationReason.IssuerNotYetValid, authority, Strings.ValidationIssuerNotYetValid, authority.NotBefore, atUtc));
            }

            if (!ca.IsCertificateAuthority)
            {
                failures.Add(Error(SmimeValidationReason.NotCertificateAuthority, authority, Strings.ValidationNotCa, chain[i - 1].Subject));
            }
            else if (authority.GetKeyUsage() is X509KeyUsageFlags usage && (usage & X509KeyUsageFlags.KeyCertSign) == 0)
            {
                failures.Add(Error(SmimeValidationReason.NotCertificateAuthority, authority, Strings.ValidationNotCaKeyUsage, chain[i - 1].Subject, Describe(usage)));
            }

            // RFC 5280 6.1.4 (l), (m): self-issued intermediates do not count against a pathLenConstraint.
            if (ca.PathLengthConstraint is int limit && intermediatesBelow > limit)
            {
                failures.Add(Error(SmimeValidationReason.PathLengthExceeded, authority, Strings.ValidationPathLength, limit, intermediatesBelow));
            }

            if (!authority.IsSelfIssued)
            {
                intermediatesBelow++;
            }
        }
    }

    private static void CheckKeyUsage(CertificateNode endEntity, X509KeyUsageFlags? keyUsage, SmimeCertificateUsage usage, List<SmimeValidationFailure> failures)
    {
        if (usage != SmimeCertificateUsage.Encryption
            && keyUsage is X509KeyUsageFlags signing
            && (signing & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)) == 0)
        {
            failures.Add(Error(SmimeValidationReason.KeyUsageMissing, endEntity, Strings.ValidationKeyUsageSigning, Describe(signing)));
        }

        if (usage == SmimeCertificateUsage.Signing)
        {
            return;
        }

        string algorithm = endEntity.Certificate.SubjectPublicKeyInfo.Algorithm.Algorithm.Id;
        string keyName = AlgorithmNames.PublicKey(algorithm);
        switch (KeyKinds.Classify(algorithm))
        {
            case KeyKind.SignatureOnly:
                failures.Add(Error(SmimeValidationReason.KeyUsageMissing, endEntity, Strings.ValidationKeySignOnly, keyName));
                break;
            case KeyKind.KeyTransport when keyUsage is X509KeyUsageFlags flags && (flags & X509KeyUsageFlags.KeyEncipherment) == 0:
                failures.Add(Error(SmimeValidationReason.KeyUsageMissing, endEntity, Strings.ValidationKeyUsageEncipherment, Describe(flags), keyName));
                break;
            case KeyKind.KeyAgreement when keyUsage is X509KeyUsageFlags flags && (flags & X509KeyUsageFlags.KeyAgreement) == 0:
                failures.Add(Error(SmimeValidationReason.KeyUsageMissing, endEntity, Strings.ValidationKeyUsageAgreement, Describe(flags), keyName));
                break;
            case KeyKind.Unknown when keyUsage is X509KeyUsageFlags flags && (flags & (X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement)) == 0:
                failures.Add(Error(SmimeValidationReason.KeyUsageMissing, endEntity, Strings.ValidationKeyUsageEither, Describe(flags)));
                break;
        }
    }

    private static void CheckExtendedKeyUsage(CertificateNode endEntity, EndEntityDetails details, List<SmimeValidationFailure> failures)
    {
        IReadOnlyList<string>? purposes = details.ExtendedKeyUsages;
        if (purposes is null || purposes.Contains(EmailProtectionOid) || purposes.Contains(AnyExtendedKeyUsageOid))
        {
            return;
        }

        string listed = purposes.Count == 0 ? Strings.ValidationNone : string.Join(", ", purposes);
        failures.Add(Error(SmimeValidationReason.ExtendedKeyUsageMissing, endEntity, Strings.ValidationExtendedKeyUsage, listed));
    }

    private static void CheckAddresses(
        CertificateNode endEntity,
        IReadOnlyList<string> certified,
        IReadOnlyCollection<string> requested,
        bool anyAddress,
        List<SmimeValidationFailure> failures)
    {
        if (certified.Count == 0)
        {
            return;
        }

        if (anyAddress)
        {
            if (requested.Count > 0 && !requested.Any(address => certified.Any(candidate => EmailAddressMatcher.Matches(address, candidate))))
            {
                failures.Add(Error(
                    SmimeValidationReason.AddressMismatch,
                    endEntity,
                    Strings.ValidationAddressMismatchAny,
                    string.Join(", ", requested),
                    string.Join(", ", certified)));
            }

            return;
        }

        foreach (string address in requested)
        {
            if (!certified.Any(candidate => EmailAddressMatcher.Matches(address, candidate)))
            {
                failures.Add(Error(SmimeValidationReason.AddressMismatch, endEntity, Strings.ValidationAddressMismatch, address, string.Join(", ", certified)));
            }
        }
    }

    private static string Describe(X509KeyUsageFlags usage)
    {
        var names = new StringBuilder();
        for (int bit = 0; bit < s_keyUsageNames.Length; bit++)
        {
            if (((int)usage & (0x80 >> bit)) != 0)
            {
                names.Append(names.Length == 0 ? string.Empty : ", ").Append(s_keyUsageNames[bit]);
            }
        }

        if ((usage & X509KeyUsageFlags.DecipherOnly) != 0)
        {
            names.Append(names.Length == 0 ? string.Empty : ", ").Append("decipherOnly");
        }

        return names.Length == 0 ? Strings.ValidationNone : names.ToString();
    }

    private Dictionary<string, List<CertificateNode>>? DecodeExtras(List<byte[]> extras, CertificateNode endEntity, List<SmimeValidationFailure> failures)
    {
        if (extras.Count == 0)
        {
            return null;
        }

        var bySubject = new Dictionary<string, List<CertificateNode>>(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.Ordinal) { endEntity.Thumbprint };
        for (int i = 0; i < extras.Count; i++)
        {
            SmimeCaCertificate certificate;
            try
            {
                certificate = SmimeCaCertificate.Parse(extras[i]);
            }
            catch (CertificateFormatException ex)
            {
                failures.Add(new SmimeValidationFailure(
                    SmimeValidationReason.MalformedCertificate,
                    SmimeValidationSeverity.Warning,
                    ValidationText.Format(Strings.ValidationIntermediateMalformed, i, ex.Reason),
                    null));
                continue;
            }

            // A copy of a collection certificate adds nothing, and must not become a non-anchor twin of it.
            if (seen.Add(certificate.Thumbprint) && !_collectionByThumbprint.ContainsKey(certificate.Thumbprint))
            {
                AddBySubject(bySubject, CertificateNode.FromCa(certificate, inCollection: false));
            }
        }

        return bySubject;
    }

    private List<CertificateNode> BuildChain(
        CertificateNode endEntity,
        Dictionary<string, List<CertificateNode>>? extras,
        DateTime atUtc,
        out bool complete,
        List<SmimeValidationFailure> failures)
    {
        var path = new List<CertificateNode> { endEntity };
        var search = new ChainSearch(this, extras, atUtc);
        complete = search.Extend(path);
        if (complete)
        {
            return path;
        }

        List<CertificateNode> partial = search.DeadEnd!;
        CertificateNode top = partial[partial.Count - 1];
        failures.Add(search.DeadEndKind switch
        {
            DeadEndKind.SignatureInvalid => Error(SmimeValidationReason.SignatureInvalid, top, Strings.ValidationSignatureInvalid, top.Issuer, search.DeadEndCandidates),
            DeadEndKind.TooLong => Error(SmimeValidationReason.ChainNotTrusted, top, Strings.ValidationChainTooLong, MaxChainLength),
            DeadEndKind.UntrustedRoot => Error(SmimeValidationReason.ChainNotTrusted, top, Strings.ValidationUntrustedRoot),
            _ => Error(SmimeValidationReason.ChainNotTrusted, top, Strings.ValidationIssuerMissing, top.Issuer),
        });
        return partial;
    }

    private enum DeadEndKind
    {
        IssuerMissing,
        UntrustedRoot,
        SignatureInvalid,
        TooLong,
    }

    private sealed class EndEntityDetails
    {
        public IReadOnlyList<string> EmailAddresses { get; set; } = Array.Empty<string>();

        public string KeyAlgorithm { get; set; } = string.Empty;

        public X509KeyUsageFlags? KeyUsage { get; set; }

        public IReadOnlyList<string>? ExtendedKeyUsages { get; set; }

        public IReadOnlyList<Uri>? CrlDistributionPoints { get; set; }
    }

    /// <summary>A depth-first search for a path to the collection that remembers the longest dead end.</summary>
    private sealed class ChainSearch
    {
        private readonly SmimeCertificateValidator _validator;
        private readonly Dictionary<string, List<CertificateNode>>? _extras;
        private readonly DateTime _atUtc;

        public ChainSearch(SmimeCertificateValidator validator, Dictionary<string, List<CertificateNode>>? extras, DateTime atUtc)
        {
            _validator = validator;
            _extras = extras;
            _atUtc = atUtc;
        }

        public List<CertificateNode>? DeadEnd { get; private set; }

        public DeadEndKind DeadEndKind { get; private set; }

        public int DeadEndCandidates { get; private set; }

        public bool Extend(List<CertificateNode> path)
        {
            CertificateNode top = path[path.Count - 1];
            if (top.InCollection)
            {
                return true;
            }

            if (path.Count >= MaxChainLength)
            {
                Remember(path, DeadEndKind.TooLong, 0);
                return false;
            }

            List<CertificateNode> candidates = Candidates(top, path);
            if (candidates.Count == 0)
            {
                Remember(path, top.IsSelfIssued ? DeadEndKind.UntrustedRoot : DeadEndKind.IssuerMissing, 0);
                return false;
            }

            bool anySigned = false;
            foreach (CertificateNode candidate in candidates)
            {
                if (!top.IsSignedBy(candidate))
                {
                    continue;
                }

                anySigned = true;
                path.Add(candidate);
                if (Extend(path))
                {
                    return true;
                }

                path.RemoveAt(path.Count - 1);
            }

            if (!anySigned)
            {
                Remember(path, DeadEndKind.SignatureInvalid, candidates.Count);
            }

            return false;
        }

        private List<CertificateNode> Candidates(CertificateNode child, List<CertificateNode> path)
        {
            var candidates = new List<CertificateNode>(1);
            if (_validator._collectionBySubject.TryGetValue(child.Issuer, out List<CertificateNode>? trusted))
            {
                candidates.AddRange(trusted);
            }

            if (_extras is not null && _extras.TryGetValue(child.Issuer, out List<CertificateNode>? given))
            {
                candidates.AddRange(given);
            }

            // No certificate twice in one path: that is how loops (A issued B issued A) end.
            candidates.RemoveAll(path.Contains);
            if (candidates.Count > 1)
            {
                candidates = candidates.OrderBy(candidate => Rank(child, candidate)).ToList();
            }

            return candidates;
        }

        private int Rank(CertificateNode child, CertificateNode candidate)
        {
            int rank = 0;
            if (child.AuthorityKeyIdentifier is byte[] wanted && candidate.SubjectKeyIdentifier is byte[] offered)
            {
                rank += SameBytes(wanted, offered) ? 0 : 4;
            }
            else
            {
                rank += 2;
            }

            rank += _atUtc >= candidate.NotBefore && _atUtc <= candidate.NotAfter ? 0 : 1;
            return (rank * 2) + (candidate.InCollection ? 0 : 1);
        }

        private static bool SameBytes(byte[] left, byte[] right)
        {
            if (left.Length != right.Length)
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

        private void Remember(List<CertificateNode> path, DeadEndKind kind, int candidates)
        {
            if (DeadEnd is null || path.Count > DeadEnd.Count)
            {
                DeadEnd = new List<CertificateNode>(path);
                DeadEndKind = kind;
                DeadEndCandidates = candidates;
            }
        }
    }
}
