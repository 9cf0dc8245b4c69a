using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Settings;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// The state a change works on inside <see cref="ISmimeStore.UpdateRecipient"/>: a copy of the recipient (or of a new
/// one), whose values the change replaces through the <c>Set</c> methods, each of which returns what it changed.
/// </summary>
/// <remarks>
/// Multi-valued properties are sets, as directory attributes are: duplicates are dropped, and the same values in
/// another order are no change. The primary address is the recipient's identity and cannot be changed here.
/// </remarks>
public sealed class SmimeRecipientDraft
{
    /// <summary>The audit name of the primary address; its change records a creation or a removal.</summary>
    public const string PrimarySmtpAddressName = "PrimarySmtpAddress";

    /// <summary>The audit name of the proxy addresses (Exchange's property name).</summary>
    public const string ProxyAddressesName = "ProxyAddresses";

    /// <summary>The audit name of the certificates (the directory attribute's name).</summary>
    public const string UserCertificateName = "userCertificate";

    /// <summary>The audit name of the S/MIME certificate blobs (the directory attribute's name).</summary>
    public const string UserSmimeCertificateName = "userSMIMECertificate";

    private const string ValueSeparator = ", ";

    /// <summary>Creates a draft of a recipient that does not exist yet, e.g. to preview what a change would do.</summary>
    /// <exception cref="SmimeRecipientAddressException">The address is not one the store accepts.</exception>
    public SmimeRecipientDraft(string primarySmtpAddress)
    {
        PrimarySmtpAddress = RecipientAddress.Validate(primarySmtpAddress);
        IsNew = true;
        ProxyAddresses = Array.Empty<string>();
        UserCertificates = Array.Empty<byte[]>();
        UserSmimeCertificates = Array.Empty<byte[]>();
    }

    /// <summary>Creates a draft of a stored recipient, e.g. to preview what a change would do.</summary>
    public SmimeRecipientDraft(SmimeRecipient recipient)
    {
        if (recipient is null)
        {
            throw new ArgumentNullException(nameof(recipient));
        }

        PrimarySmtpAddress = recipient.PrimarySmtpAddress;
        ProxyAddresses = recipient.ProxyAddresses;
        UserCertificates = recipient.UserCertificates;
        UserSmimeCertificates = recipient.UserSmimeCertificates;
    }

    /// <summary>The recipient's primary SMTP address.</summary>
    public string PrimarySmtpAddress { get; }

    /// <summary>Whether the recipient is not stored yet; it is created when the change changes something.</summary>
    public bool IsNew { get; }

    /// <summary>Whether <see cref="Remove"/> was called: the store deletes the recipient.</summary>
    public bool IsRemoved { get; private set; }

    /// <summary>The proxy addresses (without the primary one).</summary>
    public IReadOnlyList<string> ProxyAddresses { get; private set; }

    /// <summary>The <c>userCertificate</c> values (DER certificates).</summary>
    public IReadOnlyList<byte[]> UserCertificates { get; private set; }

    /// <summary>The <c>userSMIMECertificate</c> values (DER CMS SignedData).</summary>
    public IReadOnlyList<byte[]> UserSmimeCertificates { get; private set; }

    /// <summary>
    /// Replaces the proxy addresses. Each is validated and may carry an <c>smtp:</c> prefix, which is dropped;
    /// duplicates and the primary address are left out.
    /// </summary>
    /// <returns>The change to audit (the addresses before and after), or <see langword="null"/> when they are the same.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="addresses"/> is <see langword="null"/>.</exception>
    /// <exception cref="SmimeRecipientAddressException">An address is not one the store accepts.</exception>
    /// <exception cref="InvalidOperationException">The recipient is being removed.</exception>
    public SmimeSettingChange? SetProxyAddresses(IEnumerable<string> addresses)
    {
        if (addresses is null)
        {
            throw new ArgumentNullException(nameof(addresses));
        }

        ThrowIfRemoved();
        List<string> proxies = RecipientAddress.ProxiesOf(PrimarySmtpAddress, addresses.Select(RecipientAddress.Validate));
        bool same = proxies.Count == ProxyAddresses.Count
            && proxies.All(proxy => ProxyAddresses.Any(existing => string.Equals(existing, proxy, StringComparison.Ordinal)));
        if (same)
        {
            return null;
        }

        var change = new SmimeSettingChange(ProxyAddressesName, string.Join(ValueSeparator, ProxyAddresses), string.Join(ValueSeparator, proxies));
        ProxyAddresses = proxies.AsReadOnly();
        return change;
    }

    /// <summary>Replaces the <c>userCertificate</c> values.</summary>
    /// <param name="certificates">DER X.509 certificates; duplicates are left out.</param>
    /// <returns>The change to audit (the SHA-1 thumbprints before and after), or <see langword="null"/> when the set is the same.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="certificates"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An item is <see langword="null"/> or not an X.509 certificate.</exception>
    /// <exception cref="InvalidOperationException">The recipient is being removed.</exception>
    public SmimeSettingChange? SetUserCertificates(IEnumerable<byte[]> certificates)
    {
        List<byte[]> list = CertificateDer.CheckForWrite(certificates, nameof(certificates));
        ThrowIfRemoved();
        return Replace(UserCertificateName, UserCertificates, list, DescribeCertificate, values => UserCertificates = values);
    }

    /// <summary>Replaces the <c>userSMIMECertificate</c> values.</summary>
    /// <param name="blobs">DER CMS SignedData blobs, each carrying certificates; duplicates are left out.</param>
    /// <returns>
    /// The change to audit, or <see langword="null"/> when the set is the same byte for byte. Each blob is described
    /// by the thumbprints of the certificates it carries joined by '+', whether it is signed, and the start of its
    /// SHA-256, e.g. <c>A1B2...+C3D4... (signed; SHA-256 0123456789abcdef)</c>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="blobs"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An item is <see langword="null"/> or not a SignedData.</exception>
    /// <exception cref="InvalidOperationException">The recipient is being removed.</exception>
    public SmimeSettingChange? SetUserSmimeCertificates(IEnumerable<byte[]> blobs)
    {
        if (blobs is null)
        {
            throw new ArgumentNullException(nameof(blobs));
        }

        var list = new List<byte[]>(blobs);
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException(string.Format(CultureInfo.CurrentCulture, Strings.RecipientValueNull, i), nameof(blobs));
            }

            try
            {
                UserSmimeCertificateReader.Read(list[i]);
            }
            catch (CertificateFormatException ex)
            {
                throw new ArgumentException(
                    string.Format(CultureInfo.CurrentCulture, Strings.RecipientSmimeValueInvalid, i, ex.Message),
                    nameof(blobs),
                    ex);
            }
        }

        ThrowIfRemoved();
        return Replace(UserSmimeCertificateName, UserSmimeCertificates, list, DescribeSmimeCertificate, values => UserSmimeCertificates = values);
    }

    /// <summary>Marks the recipient for removal.</summary>
    /// <returns>
    /// The changes to audit: the primary address (to empty), then every property that had values. Empty for a
    /// recipient that is not stored, which the store then leaves alone.
    /// </returns>
    public IReadOnlyList<SmimeSettingChange> Remove()
    {
        if (IsNew || IsRemoved)
        {
            return Array.Empty<SmimeSettingChange>();
        }

        var changes = new List<SmimeSettingChange> { new(PrimarySmtpAddressName, PrimarySmtpAddress, string.Empty) };
        changes.AddRange(new[]
        {
            SetProxyAddresses(Array.Empty<string>()),
            SetUserCertificates(Array.Empty<byte[]>()),
            SetUserSmimeCertificates(Array.Empty<byte[]>()),
        }.OfType<SmimeSettingChange>());
        IsRemoved = true;
        return changes;
    }

    internal static string DescribeCertificate(byte[] certificate) => HexText.Upper(SerializedCertificateStore.Sha1(certificate));

    private static string DescribeSmimeCertificate(byte[] blob)
    {
        UserSmimeCertificateInfo info = UserSmimeCertificateReader.Read(blob);
        return string.Format(
            CultureInfo.InvariantCulture,
            "{0} ({1}; SHA-256 {2})",
            string.Join("+", info.Certificates.Select(DescribeCertificate)),
            info.IsSigned ? "signed" : "certs-only",
            SmimeCertificateCollectionRecord.HexSha256(blob).Substring(0, 16));
    }

    private static SmimeSettingChange? Replace(
        string name,
        IReadOnlyList<byte[]> current,
        List<byte[]> proposed,
        Func<byte[], string> describe,
        Action<IReadOnlyList<byte[]>> assign)
    {
        var distinct = new List<byte[]>();
        foreach (byte[] value in proposed.Where(value => !EncodedValues.Contains(distinct, value)))
        {
            distinct.Add((byte[])value.Clone());
        }

        if (EncodedValues.SameSet(distinct, current))
        {
            return null;
        }

        var change = new SmimeSettingChange(
            name,
            string.Join(ValueSeparator, current.Select(describe)),
            string.Join(ValueSeparator, distinct.Select(describe)));
        assign(distinct.AsReadOnly());
        return change;
    }

    private void ThrowIfRemoved()
    {
        if (IsRemoved)
        {
            throw new InvalidOperationException(Strings.RecipientDraftRemoved);
        }
    }
}
