using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Publishing;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Core.Baselines;

/// <summary>
/// An organization's S/MIME state as configuration as code: settings, the certificate collection and, optionally,
/// the published recipients. A full export names every setting; a partial baseline names only the settings a team
/// cares about, and only those are compared or applied.
/// </summary>
/// <remarks>
/// Setting values are kept as given (a file's JSON values, a hashtable's objects) and checked by
/// <see cref="SmimeSettingValidator"/> when the baseline is compared or applied, so every invalid value can be
/// reported at once.
/// </remarks>
public sealed class SmimeBaseline
{
    /// <summary>The name of the certificate collection in baselines and differences: Exchange's parameter name.</summary>
    public const string CertificateCollectionName = SmimeConfigDraft.CertificateCollectionName;

    /// <summary>Creates a baseline.</summary>
    /// <param name="settings">Setting names (case-insensitive) and raw values.</param>
    /// <param name="certificateCollection">The collection; <see langword="null"/> when the baseline leaves it out, empty for none.</param>
    /// <param name="recipients">The published recipients; <see langword="null"/> when the baseline leaves them out.</param>
    /// <param name="organization">The organization the baseline was exported from, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="settings"/> is <see langword="null"/>.</exception>
    public SmimeBaseline(
        IEnumerable<KeyValuePair<string, object?>> settings,
        IReadOnlyList<SmimeBaselineCertificate>? certificateCollection = null,
        IReadOnlyList<SmimeBaselineRecipient>? recipients = null,
        string? organization = null)
    {
        Settings = (settings ?? throw new ArgumentNullException(nameof(settings))).ToArray();
        CertificateCollection = certificateCollection;
        Recipients = recipients;
        Organization = organization;
    }

    /// <summary>The organization the baseline was exported from; <see langword="null"/> for a hand-written baseline.</summary>
    public string? Organization { get; }

    /// <summary>The settings the baseline names, with their values as given.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Settings { get; }

    /// <summary>The certificate collection; <see langword="null"/> when the baseline leaves it out.</summary>
    public IReadOnlyList<SmimeBaselineCertificate>? CertificateCollection { get; }

    /// <summary>The published recipients; <see langword="null"/> when the baseline leaves them out.</summary>
    public IReadOnlyList<SmimeBaselineRecipient>? Recipients { get; }

    /// <summary>
    /// The complete state of an organization: every setting, the certificate collection with its certificates and,
    /// when <paramref name="recipients"/> is given, every recipient that has a certificate published.
    /// </summary>
    /// <param name="config">The organization's stored configuration.</param>
    /// <param name="recipients">The organization's recipients, or <see langword="null"/> to leave them out.</param>
    /// <exception cref="ArgumentNullException"><paramref name="config"/> is <see langword="null"/>.</exception>
    /// <exception cref="CertificateFormatException">A stored collection or userSMIMECertificate value cannot be read.</exception>
    public static SmimeBaseline FromConfig(SmimeOrganizationConfig config, IEnumerable<SmimeRecipient>? recipients = null)
    {
        if (config is null)
        {
            throw new ArgumentNullException(nameof(config));
        }

        KeyValuePair<string, object?>[] settings = SmimeSetting.All
            .Select(setting => new KeyValuePair<string, object?>(setting.Name, setting.GetValue(config.Settings)))
            .ToArray();
        SmimeBaselineCertificate[] collection = SmimeCertificateCollection.FromRecord(config.CertificateCollection).Certificates
            .Select(certificate => new SmimeBaselineCertificate(certificate.Thumbprint, certificate.RawData))
            .ToArray();
        SmimeBaselineRecipient[]? published = recipients?
            .Where(recipient => recipient.HasCertificates)
            .Select(recipient => new SmimeBaselineRecipient(
                recipient.PrimarySmtpAddress,
                recipient.UserCertificates.Select(Thumbprint),
                recipient.UserSmimeCertificates.SelectMany(UserSmimeCertificateReader.ReadCertificates).Select(Thumbprint)))
            .ToArray();
        return new SmimeBaseline(settings, collection, published, config.Organization);
    }

    /// <summary>
    /// Checks every named setting with <see cref="SmimeSettingValidator"/>, as Set-SmimeConfig does, and lists every
    /// unknown name and invalid value.
    /// </summary>
    /// <param name="problems">Receives one problem per unknown name or invalid value.</param>
    /// <param name="warnings">Receives a warning for each weak but accepted value.</param>
    /// <returns>The valid settings with their values in stored form, in baseline order.</returns>
    public IReadOnlyList<KeyValuePair<SmimeSetting, object>> NormalizeSettings(
        ICollection<SmimeBaselineProblem> problems,
        ICollection<string> warnings)
    {
        if (problems is null)
        {
            throw new ArgumentNullException(nameof(problems));
        }

        var normalized = new List<KeyValuePair<SmimeSetting, object>>();
        foreach (KeyValuePair<string, object?> pair in Settings)
        {
            SmimeSetting? setting = SmimeSetting.Find(pair.Key);
            if (setting is null)
            {
                problems.Add(new SmimeBaselineProblem(
                    SmimeBaselineProblemCode.UnknownSetting,
                    pair.Key,
                    pair.Value,
                    string.Format(CultureInfo.CurrentCulture, Strings.SettingUnknown, pair.Key)));
                continue;
            }

            try
            {
                normalized.Add(new KeyValuePair<SmimeSetting, object>(setting, SmimeSettingValidator.Normalize(setting, pair.Value, warnings)));
            }
            catch (SmimeSettingValueException ex)
            {
                problems.Add(new SmimeBaselineProblem(SmimeBaselineProblemCode.InvalidSettingValue, setting.Name, pair.Value, ex.Message));
            }
        }

        return normalized;
    }

    /// <summary>Lists the collection entries whose thumbprint is not 40 hexadecimal digits.</summary>
    internal void CheckThumbprints(ICollection<SmimeBaselineProblem> problems)
    {
        foreach (SmimeBaselineCertificate entry in CertificateCollection ?? Array.Empty<SmimeBaselineCertificate>())
        {
            if (entry.Thumbprint.Length != 40 || !entry.Thumbprint.All(Uri.IsHexDigit))
            {
                problems.Add(new SmimeBaselineProblem(
                    SmimeBaselineProblemCode.InvalidThumbprint,
                    CertificateCollectionName,
                    entry.Thumbprint,
                    string.Format(CultureInfo.CurrentCulture, Strings.BaselineThumbprintInvalid, entry.Thumbprint)));
            }
        }
    }

    private static string Thumbprint(byte[] certificate) => HexText.Upper(SerializedCertificateStore.Sha1(certificate));
}
