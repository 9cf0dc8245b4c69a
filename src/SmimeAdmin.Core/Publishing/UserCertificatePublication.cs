using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Core.Validation;
using BcX509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace SmimeAdmin.Core.Publishing;

/// <summary>
/// What publishing a user's certificate file writes to the user's recipient: the user's certificates as
/// <c>userCertificate</c> and one <c>userSMIMECertificate</c> blob, built once, outside the store's lock.
/// </summary>
/// <example>
/// <code>
/// UserCertificateFileContent file = UserCertificateFile.Read(bytes, password);
/// SmimeSettings settings = store.ReadConfig(organization).Settings;
/// var publication = UserCertificatePublication.Create(file, settings, DateTime.UtcNow);
/// store.UpdateRecipient(organization, address, publication.ApplyTo, context, createIfMissing: true);
/// </code>
/// </example>
public sealed class UserCertificatePublication
{
    private readonly byte[]? _userSmimeCertificate;
    private readonly UserSmimeCertificateInfo? _info;

    private UserCertificatePublication(IReadOnlyList<byte[]> userCertificates, byte[]? userSmimeCertificate)
    {
        UserCertificates = userCertificates;
        _userSmimeCertificate = userSmimeCertificate;
        _info = userSmimeCertificate is null ? null : UserSmimeCertificateReader.Read(userSmimeCertificate);
    }

    /// <summary>The <c>userCertificate</c> values: the user's certificates (DER).</summary>
    public IReadOnlyList<byte[]> UserCertificates { get; }

    /// <summary>The SHA-1 thumbprints (upper-case hex) of <see cref="UserCertificates"/>, in order.</summary>
    public IReadOnlyList<string> Thumbprints => UserCertificates.Select(SmimeRecipientDraft.DescribeCertificate).ToArray();

    /// <summary>Whether the <c>userSMIMECertificate</c> blob is signed (the file had the user's key).</summary>
    /// <exception cref="InvalidOperationException">The publication was created without the blob.</exception>
    public bool IsSigned => Info.IsSigned;

    private UserSmimeCertificateInfo Info => _info ?? throw new InvalidOperationException(Strings.PublicationWithoutUserSmimeCertificate);

    /// <summary>Builds the values from a user's certificate file and the organization's settings.</summary>
    /// <param name="file">What <see cref="UserCertificateFile.Read"/> returned.</param>
    /// <param name="settings">The organization's settings.</param>
    /// <param name="signingTimeUtc">The signing time of a signed blob.</param>
    /// <param name="validated">
    /// What <see cref="Validate"/> found for the file, if it was validated: the CA certificates of the chains it built
    /// may go into the blob besides the file's own, as the chain settings say.
    /// </param>
    /// <param name="collection">
    /// The organization's collection, which the validated chains end in: it may hold the issuers of their last
    /// certificate, up to the root, for <see cref="SmimeSettings.OWAIncludeCertificateChainAndRootCertificate"/>.
    /// </param>
    /// <param name="attributes">
    /// The attributes the publication will be applied to; without <c>userSMIMECertificate</c> no blob is built (nor
    /// signed), and <see cref="ApplyTo(SmimeRecipientDraft, UserCertificateAttributes, bool)"/> can then write only
    /// <c>userCertificate</c>.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="file"/> or <paramref name="settings"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The file's key does not sign for its certificate.</exception>
    public static UserCertificatePublication Create(
        UserCertificateFileContent file,
        SmimeSettings settings,
        DateTime signingTimeUtc,
        IEnumerable<SmimeValidationResult>? validated = null,
        SmimeCertificateCollection? collection = null,
        UserCertificateAttributes attributes = UserCertificateAttributes.Both)
    {
        if (file is null || settings is null)
        {
            throw new ArgumentNullException(file is null ? nameof(file) : nameof(settings));
        }

        if ((attributes & UserCertificateAttributes.UserSmimeCertificate) == 0)
        {
            return new UserCertificatePublication(file.UserCertificates, null);
        }

        var chain = new List<byte[]>();
        foreach (byte[] certificate in file.ChainCertificates)
        {
            EncodedValues.AddDistinct(chain, certificate);
        }

        // The chains only matter when the settings put a chain in the blob; climbing them verifies signatures.
        bool includeChain = settings.OWAIncludeCertificateChainWithoutRootCertificate || settings.OWAIncludeCertificateChainAndRootCertificate;
        foreach (SmimeValidationResult result in includeChain ? validated ?? Enumerable.Empty<SmimeValidationResult>() : Enumerable.Empty<SmimeValidationResult>())
        {
            SmimeCaCertificate? last = null;
            foreach (SmimeChainElement element in result.Chain.Skip(1))
            {
                EncodedValues.AddDistinct(chain, element.RawData);
                last = element.CaCertificate;
            }

            for (int depth = 0; last is not null && collection is not null && !last.IsSelfIssued && depth < SmimeCertificateValidator.MaxChainLength; depth++)
            {
                SmimeCaCertificate child = last;
                last = collection.Certificates.FirstOrDefault(candidate => candidate.Subject == child.Issuer && child.IsSignedBy(candidate));
                if (last is not null)
                {
                    EncodedValues.AddDistinct(chain, last.RawData);
                }
            }
        }

        byte[] blob = UserSmimeCertificateBuilder.Build(file.UserCertificates, chain, settings, file.SigningKey, signingTimeUtc);
        return new UserCertificatePublication(file.UserCertificates, blob);
    }

    /// <summary>
    /// Validates each of a file's user certificates as a sender would find it for the recipient: chained to the
    /// organization's collection (the file's CA certificates may complete the chain), for at least one of
    /// <paramref name="recipientAddresses"/>, and for what its key is for. A certificate whose keyUsage allows
    /// encryption is checked for encryption, one that allows signing for signing, one without keyUsage for both.
    /// </summary>
    /// <param name="file">What <see cref="UserCertificateFile.Read"/> returned.</param>
    /// <param name="validator">The organization's validator.</param>
    /// <param name="recipientAddresses">What <see cref="LookupAddresses"/> gives for the recipient.</param>
    /// <param name="atUtc">The validation time.</param>
    /// <param name="cancellationToken">Cancels the validation, including CRL retrievals.</param>
    /// <returns>One result per user certificate, in order.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static IReadOnlyList<SmimeValidationResult> Validate(
        UserCertificateFileContent file,
        SmimeCertificateValidator validator,
        IReadOnlyCollection<string> recipientAddresses,
        DateTime atUtc,
        CancellationToken cancellationToken)
    {
        if (file is null || validator is null)
        {
            throw new ArgumentNullException(file is null ? nameof(file) : nameof(validator));
        }

        return file.UserCertificates
            .Select(certificate => validator.ValidateForRecipient(
                certificate, file.ChainCertificates, recipientAddresses, UsageOf(certificate), atUtc, cancellationToken))
            .ToArray();
    }

    /// <summary>
    /// The addresses a recipient's certificate is looked up by, and so must be for: the primary address, and the
    /// proxy addresses too when <see cref="SmimeSettings.OWAUseSecondaryProxiesWhenFindingCertificates"/> is set.
    /// </summary>
    /// <param name="primarySmtpAddress">The recipient's primary address.</param>
    /// <param name="proxyAddresses">The recipient's proxy addresses.</param>
    /// <param name="settings">The organization's settings.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IReadOnlyList<string> LookupAddresses(string primarySmtpAddress, IEnumerable<string> proxyAddresses, SmimeSettings settings)
    {
        if (primarySmtpAddress is null || proxyAddresses is null || settings is null)
        {
            throw new ArgumentNullException(primarySmtpAddress is null ? nameof(primarySmtpAddress) : proxyAddresses is null ? nameof(proxyAddresses) : nameof(settings));
        }

        var addresses = new List<string> { primarySmtpAddress };
        if (settings.OWAUseSecondaryProxiesWhenFindingCertificates)
        {
            addresses.AddRange(proxyAddresses.Where(proxy => !RecipientAddress.AreSame(proxy, primarySmtpAddress)));
        }

        return addresses;
    }

    /// <summary>The <c>userSMIMECertificate</c> blob.</summary>
    /// <exception cref="InvalidOperationException">The publication was created without the blob.</exception>
    public byte[] GetUserSmimeCertificate() => (byte[])(_userSmimeCertificate ?? throw new InvalidOperationException(Strings.PublicationWithoutUserSmimeCertificate)).Clone();

    /// <summary>
    /// Replaces the draft's <c>userCertificate</c> values with the user's certificates and its
    /// <c>userSMIMECertificate</c> values with the blob; pass it to <see cref="ISmimeStore.UpdateRecipient"/>.
    /// </summary>
    /// <remarks>
    /// Publishing again what is already published changes nothing: a stored blob is kept when it is the only one and
    /// says what the new one says (the same certificates, signer, digest, capabilities and encryption certificate),
    /// whatever its signing time. A signed blob is also kept in place of a certs-only one for the same certificates,
    /// since publishing a .cer cannot re-sign and must not drop the capabilities a .pfx published.
    /// </remarks>
    /// <returns>The changes made, for the audit log.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="draft"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<SmimeSettingChange> ApplyTo(SmimeRecipientDraft draft) => ApplyTo(draft, UserCertificateAttributes.Both, append: false);

    /// <summary>
    /// Writes the user's certificates to the chosen attributes of the draft; pass it to
    /// <see cref="ISmimeStore.UpdateRecipient"/> through a lambda.
    /// </summary>
    /// <remarks>
    /// Without <paramref name="append"/> the values replace what the attributes held, as <see cref="ApplyTo(SmimeRecipientDraft)"/>
    /// describes. With it the earlier values stay beside the new ones (a renewal overlap): the certificates are
    /// added to <c>userCertificate</c>, and the blob is added to <c>userSMIMECertificate</c> unless a stored blob
    /// already says what it says.
    /// </remarks>
    /// <param name="draft">The recipient's draft.</param>
    /// <param name="attributes">The attributes to write; the others are left as they are.</param>
    /// <param name="append">Whether to keep the values already published.</param>
    /// <returns>The changes made, for the audit log.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="draft"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<SmimeSettingChange> ApplyTo(SmimeRecipientDraft draft, UserCertificateAttributes attributes, bool append)
    {
        if (draft is null)
        {
            throw new ArgumentNullException(nameof(draft));
        }

        var changes = new List<SmimeSettingChange>();
        if ((attributes & UserCertificateAttributes.UserCertificate) != 0
            && draft.SetUserCertificates(append ? draft.UserCertificates.Concat(UserCertificates) : UserCertificates) is SmimeSettingChange certificates)
        {
            changes.Add(certificates);
        }

        if ((attributes & UserCertificateAttributes.UserSmimeCertificate) != 0)
        {
            byte[] built = _userSmimeCertificate ?? throw new InvalidOperationException(Strings.PublicationWithoutUserSmimeCertificate);
            IReadOnlyList<byte[]> stored = draft.UserSmimeCertificates;
            bool keep = append
                ? stored.Any(blob => Supersedes(UserSmimeCertificateReader.Read(blob)))
                : stored.Count == 1 && Supersedes(UserSmimeCertificateReader.Read(stored[0]));
            IEnumerable<byte[]> blobs = append ? stored.Concat(new[] { built }) : new[] { built };
            if (!keep && draft.SetUserSmimeCertificates(blobs) is SmimeSettingChange blob)
            {
                changes.Add(blob);
            }
        }

        return changes;
    }

    // What a certificate is published for, read from its keyUsage and key type.
    private static SmimeCertificateUsage UsageOf(byte[] certificate)
    {
        BcX509Certificate decoded = CertificateDer.Parse(certificate, 0);
        bool[]? keyUsage = decoded.GetKeyUsage();
        bool signs = keyUsage is null || keyUsage[0] || keyUsage[1];
        bool canEncrypt = KeyKinds.Classify(decoded.SubjectPublicKeyInfo.Algorithm.Algorithm.Id) != KeyKind.SignatureOnly;
        bool encrypts = canEncrypt && (keyUsage is null || keyUsage[2] || keyUsage[4]);
        return (signs, encrypts) switch
        {
            (true, false) => SmimeCertificateUsage.Signing,
            (false, true) => SmimeCertificateUsage.Encryption,
            _ => SmimeCertificateUsage.Both,
        };
    }

    // Whether a stored blob says at least what this one says.
    private bool Supersedes(UserSmimeCertificateInfo stored)
    {
        if (!EncodedValues.SameSet(stored.Certificates, Info.Certificates))
        {
            return false;
        }

        if (!Info.IsSigned)
        {
            return true;
        }

        return stored.IsSigned
            && SameBytes(stored.SignerCertificate, Info.SignerCertificate)
            && SameBytes(stored.EncryptionCertificate, Info.EncryptionCertificate)
            && stored.DigestAlgorithmOid == Info.DigestAlgorithmOid
            && stored.Capabilities.Select(capability => capability.ToString()).SequenceEqual(Info.Capabilities.Select(capability => capability.ToString()));
    }

    private static bool SameBytes(byte[]? left, byte[]? right) =>
        left is null ? right is null : right is not null && left.AsSpan().SequenceEqual(right);
}
