using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;

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
    private readonly byte[] _userSmimeCertificate;
    private readonly UserSmimeCertificateInfo _info;

    private UserCertificatePublication(IReadOnlyList<byte[]> userCertificates, byte[] userSmimeCertificate)
    {
        UserCertificates = userCertificates;
        _userSmimeCertificate = userSmimeCertificate;
        _info = UserSmimeCertificateReader.Read(userSmimeCertificate);
    }

    /// <summary>The <c>userCertificate</c> values: the user's certificates (DER).</summary>
    public IReadOnlyList<byte[]> UserCertificates { get; }

    /// <summary>Whether the <c>userSMIMECertificate</c> blob is signed (the file had the user's key).</summary>
    public bool IsSigned => _info.IsSigned;

    /// <summary>Builds the values from a user's certificate file and the organization's settings.</summary>
    /// <param name="file">What <see cref="UserCertificateFile.Read"/> returned.</param>
    /// <param name="settings">The organization's settings.</param>
    /// <param name="signingTimeUtc">The signing time of a signed blob.</param>
    /// <exception cref="ArgumentNullException"><paramref name="file"/> or <paramref name="settings"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The file's key does not sign for its certificate.</exception>
    public static UserCertificatePublication Create(UserCertificateFileContent file, SmimeSettings settings, DateTime signingTimeUtc)
    {
        if (file is null)
        {
            throw new ArgumentNullException(nameof(file));
        }

        byte[] blob = UserSmimeCertificateBuilder.Build(file.UserCertificates, file.ChainCertificates, settings, file.SigningKey, signingTimeUtc);
        return new UserCertificatePublication(file.UserCertificates, blob);
    }

    /// <summary>The <c>userSMIMECertificate</c> blob.</summary>
    public byte[] GetUserSmimeCertificate() => (byte[])_userSmimeCertificate.Clone();

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
    public IReadOnlyList<SmimeSettingChange> ApplyTo(SmimeRecipientDraft draft)
    {
        if (draft is null)
        {
            throw new ArgumentNullException(nameof(draft));
        }

        var changes = new List<SmimeSettingChange>();
        if (draft.SetUserCertificates(UserCertificates) is SmimeSettingChange certificates)
        {
            changes.Add(certificates);
        }

        bool keep = draft.UserSmimeCertificates.Count == 1 && Supersedes(UserSmimeCertificateReader.Read(draft.UserSmimeCertificates[0]));
        if (!keep && draft.SetUserSmimeCertificates(new[] { _userSmimeCertificate }) is SmimeSettingChange blob)
        {
            changes.Add(blob);
        }

        return changes;
    }

    // Whether a stored blob says at least what this one says.
    private bool Supersedes(UserSmimeCertificateInfo stored)
    {
        if (!SameSet(stored.Certificates, _info.Certificates))
        {
            return false;
        }

        if (!_info.IsSigned)
        {
            return true;
        }

        return stored.IsSigned
            && SameBytes(stored.SignerCertificate, _info.SignerCertificate)
            && SameBytes(stored.EncryptionCertificate, _info.EncryptionCertificate)
            && stored.DigestAlgorithmOid == _info.DigestAlgorithmOid
            && stored.Capabilities.Select(capability => capability.ToString()).SequenceEqual(_info.Capabilities.Select(capability => capability.ToString()));
    }

    private static bool SameSet(IReadOnlyList<byte[]> left, IReadOnlyList<byte[]> right) =>
        left.Count == right.Count && left.All(value => right.Any(other => other.AsSpan().SequenceEqual(value)));

    private static bool SameBytes(byte[]? left, byte[]? right) =>
        left is null ? right is null : right is not null && left.AsSpan().SequenceEqual(right);
}
