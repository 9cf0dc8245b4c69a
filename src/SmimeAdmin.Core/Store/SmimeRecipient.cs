using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// A mail recipient (mailbox) as the store keeps it: its addresses and the certificates published for it, the values
/// Exchange keeps in the directory attributes <c>userCertificate</c> and <c>userSMIMECertificate</c>.
/// </summary>
public sealed class SmimeRecipient
{
    /// <summary>Creates the record. The byte arrays are copied.</summary>
    public SmimeRecipient(
        string organization,
        string primarySmtpAddress,
        Guid objectGuid,
        DateTime whenCreatedUtc,
        DateTime whenChangedUtc,
        IReadOnlyList<string> proxyAddresses,
        IReadOnlyList<byte[]> userCertificates,
        IReadOnlyList<byte[]> userSmimeCertificates,
        string location)
    {
        Organization = organization ?? throw new ArgumentNullException(nameof(organization));
        PrimarySmtpAddress = primarySmtpAddress ?? throw new ArgumentNullException(nameof(primarySmtpAddress));
        ObjectGuid = objectGuid;
        WhenCreatedUtc = whenCreatedUtc;
        WhenChangedUtc = whenChangedUtc;
        ProxyAddresses = (proxyAddresses ?? throw new ArgumentNullException(nameof(proxyAddresses))).ToArray();
        UserCertificates = Copy(userCertificates, nameof(userCertificates));
        UserSmimeCertificates = Copy(userSmimeCertificates, nameof(userSmimeCertificates));
        Location = location ?? throw new ArgumentNullException(nameof(location));
    }

    /// <summary>The organization the recipient belongs to.</summary>
    public string Organization { get; }

    /// <summary>The recipient's identity: its primary SMTP address, in the case first stored.</summary>
    public string PrimarySmtpAddress { get; }

    /// <summary>The recipient's object identifier, set when it was created.</summary>
    public Guid ObjectGuid { get; }

    /// <summary>When the recipient was created (UTC).</summary>
    public DateTime WhenCreatedUtc { get; }

    /// <summary>When the recipient was last changed (UTC).</summary>
    public DateTime WhenChangedUtc { get; }

    /// <summary>The recipient's other SMTP addresses, without the primary one and without an <c>smtp:</c> prefix.</summary>
    public IReadOnlyList<string> ProxyAddresses { get; }

    /// <summary>The <c>userCertificate</c> values: one DER X.509 certificate each.</summary>
    public IReadOnlyList<byte[]> UserCertificates { get; }

    /// <summary>The <c>userSMIMECertificate</c> values: one DER CMS SignedData each.</summary>
    public IReadOnlyList<byte[]> UserSmimeCertificates { get; }

    /// <summary>Whether anything is published for the recipient: a userCertificate or a userSMIMECertificate value.</summary>
    public bool HasCertificates => UserCertificates.Count > 0 || UserSmimeCertificates.Count > 0;

    /// <summary>Where the recipient lives (a file path, or a directory entry's DN).</summary>
    public string Location { get; }

    /// <summary>
    /// What the store that read the record keeps of the read, for a change that starts from the record
    /// (<see cref="SmimeRecipientChange.LastRead"/>); null for a record made otherwise. Held by the record so that it
    /// lives exactly as long.
    /// </summary>
    internal object? ReadState { get; set; }

    /// <summary>Whether <paramref name="address"/> is the primary or one of the proxy addresses (case-insensitive).</summary>
    public bool HasAddress(string address) =>
        RecipientAddress.AreSame(PrimarySmtpAddress, address) || ProxyAddresses.Any(proxy => RecipientAddress.AreSame(proxy, address));

    /// <inheritdoc/>
    public override string ToString() => PrimarySmtpAddress;

    private static byte[][] Copy(IReadOnlyList<byte[]> values, string parameterName)
    {
        if (values is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        var copies = new byte[values.Count][];
        for (int i = 0; i < copies.Length; i++)
        {
            copies[i] = (byte[])(values[i] ?? throw new ArgumentException(
                string.Format(CultureInfo.CurrentCulture, Strings.RecipientValueNull, i), parameterName)).Clone();
        }

        return copies;
    }
}
