using System;
using System.Collections.Generic;
using System.Linq;

namespace SmimeAdmin.Core.Baselines;

/// <summary>
/// A published recipient in a baseline: its primary address and the thumbprints of the certificates published for it.
/// </summary>
public sealed class SmimeBaselineRecipient
{
    /// <summary>Creates the entry; thumbprints are stored in upper case.</summary>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public SmimeBaselineRecipient(
        string address,
        IEnumerable<string> userCertificateThumbprints,
        IEnumerable<string> userSmimeCertificateThumbprints)
    {
        Address = address ?? throw new ArgumentNullException(nameof(address));
        UserCertificateThumbprints = Normalize(userCertificateThumbprints, nameof(userCertificateThumbprints));
        UserSmimeCertificateThumbprints = Normalize(userSmimeCertificateThumbprints, nameof(userSmimeCertificateThumbprints));
    }

    /// <summary>The recipient's primary SMTP address.</summary>
    public string Address { get; }

    /// <summary>The thumbprints of the <c>userCertificate</c> values.</summary>
    public IReadOnlyList<string> UserCertificateThumbprints { get; }

    /// <summary>The thumbprints of the certificates the <c>userSMIMECertificate</c> values carry.</summary>
    public IReadOnlyList<string> UserSmimeCertificateThumbprints { get; }

    /// <inheritdoc/>
    public override string ToString() => Address;

    private static string[] Normalize(IEnumerable<string> thumbprints, string parameterName) =>
        (thumbprints ?? throw new ArgumentNullException(parameterName))
            .Select(thumbprint => thumbprint.Trim().ToUpperInvariant())
            .Distinct(StringComparer.Ordinal)
            .ToArray();
}
