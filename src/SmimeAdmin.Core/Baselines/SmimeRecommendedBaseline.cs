using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Core.Baselines;

/// <summary>
/// The built-in secure baseline: AES-256 preferred and no weak ciphers, SHA-256 or better for signing, revocation
/// checked, temporary buffers encrypted, and a certificate collection with no expired or soon-expiring CA.
/// </summary>
public static class SmimeRecommendedBaseline
{
    /// <summary>How close to its NotAfter a collection certificate counts as expiring soon, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultExpiryWarning = TimeSpan.FromDays(30);

    private const int Aes256 = 0x6610;

    /// <summary>Lists where an organization falls short of the recommended baseline, each finding explained.</summary>
    /// <param name="config">The organization's configuration.</param>
    /// <param name="nowUtc">The time to judge certificate expiry against.</param>
    /// <param name="expiryWarning">How close to expiry a CA certificate is reported; <see cref="DefaultExpiryWarning"/> when <see langword="null"/>.</param>
    /// <returns>The findings, settings first (in <see cref="SmimeSetting.All"/> order), then the collection; empty when compliant.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="config"/> is <see langword="null"/>.</exception>
    /// <exception cref="CertificateFormatException">The stored collection cannot be read.</exception>
    public static IReadOnlyList<SmimeBaselineDifference> Evaluate(SmimeOrganizationConfig config, DateTime nowUtc, TimeSpan? expiryWarning = null)
    {
        if (config is null)
        {
            throw new ArgumentNullException(nameof(config));
        }

        SmimeSettings settings = config.Settings;
        var findings = new List<SmimeBaselineDifference>();
        Expect(findings, nameof(SmimeSettings.OWADisableCRLCheck), false, settings.OWADisableCRLCheck, Strings.RecommendCrlCheck);
        Expect(findings, nameof(SmimeSettings.OWAEncryptTemporaryBuffers), true, settings.OWAEncryptTemporaryBuffers, Strings.RecommendTemporaryBuffers);

        IReadOnlyList<SmimeAlgorithmEntry> encryption = SmimeAlgorithmList.ParseOrDefault(settings.OWAEncryptionAlgorithms, SmimeAlgorithmPurpose.Encryption);
        SmimeAlgorithmEntry first = encryption[0];
        if (first.Algorithm.AlgorithmId != Aes256 || first.CustomOid is not null)
        {
            findings.Add(Finding(nameof(SmimeSettings.OWAEncryptionAlgorithms), Strings.RecommendAes256FirstExpected, settings.OWAEncryptionAlgorithms, Strings.RecommendAes256First));
        }

        string[] weakCiphers = encryption.Where(entry => entry.IsWeak).Select(entry => entry.ToString()).ToArray();
        if (weakCiphers.Length > 0)
        {
            findings.Add(Finding(
                nameof(SmimeSettings.OWAEncryptionAlgorithms),
                Strings.RecommendNoWeakCiphersExpected,
                settings.OWAEncryptionAlgorithms,
                string.Format(CultureInfo.CurrentCulture, Strings.RecommendNoWeakCiphers, string.Join(", ", weakCiphers))));
        }

        string[] weakDigests = SmimeAlgorithmList.ParseOrDefault(settings.OWASigningAlgorithms, SmimeAlgorithmPurpose.Signing)
            .Where(entry => entry.IsWeak)
            .Select(entry => entry.ToString())
            .ToArray();
        if (weakDigests.Length > 0)
        {
            findings.Add(Finding(
                nameof(SmimeSettings.OWASigningAlgorithms),
                Strings.RecommendStrongDigestsExpected,
                settings.OWASigningAlgorithms,
                string.Format(CultureInfo.CurrentCulture, Strings.RecommendStrongDigests, string.Join(", ", weakDigests))));
        }

        AddCollectionFindings(findings, SmimeCertificateCollection.FromRecord(config.CertificateCollection), nowUtc, expiryWarning ?? DefaultExpiryWarning);
        return findings;
    }

    private static void AddCollectionFindings(List<SmimeBaselineDifference> findings, SmimeCertificateCollection collection, DateTime nowUtc, TimeSpan expiryWarning)
    {
        string name = SmimeBaseline.CertificateCollectionName;
        if (collection.Certificates.Count == 0)
        {
            findings.Add(Finding(name, Strings.RecommendCollectionExpected, Strings.RecommendCollectionNone, Strings.RecommendCollection));
            return;
        }

        DateTime horizon = nowUtc + expiryWarning;
        foreach (SmimeCaCertificate certificate in collection.Certificates.OrderBy(c => c.NotAfter))
        {
            string actual = string.Format(CultureInfo.CurrentCulture, Strings.RecommendCertificateActual, certificate.Subject, certificate.Thumbprint, certificate.NotAfter);
            if (certificate.NotAfter < nowUtc)
            {
                findings.Add(Finding(name, Strings.RecommendNoExpiredExpected, actual, Strings.RecommendNoExpired));
            }
            else if (certificate.NotAfter < horizon)
            {
                findings.Add(Finding(
                    name,
                    string.Format(CultureInfo.CurrentCulture, Strings.RecommendNotExpiringExpected, expiryWarning.TotalDays),
                    actual,
                    string.Format(CultureInfo.CurrentCulture, Strings.RecommendNotExpiring, (certificate.NotAfter - nowUtc).TotalDays)));
            }
        }
    }

    private static void Expect(List<SmimeBaselineDifference> findings, string setting, bool expected, bool actual, string explanation)
    {
        if (expected != actual)
        {
            findings.Add(new SmimeBaselineDifference(setting, expected, actual, explanation));
        }
    }

    private static SmimeBaselineDifference Finding(string setting, string expected, string actual, string explanation) =>
        new(setting, expected, actual, explanation);
}
