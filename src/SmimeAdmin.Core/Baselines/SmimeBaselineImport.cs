using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SmimeAdmin.Core.Certificates;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Core.Baselines;

/// <summary>
/// A baseline checked for applying to an organization: its settings through the same validation as Set-SmimeConfig,
/// its certificate collection through the same rules as Set-SmimeCertificateCollection. It is made only when
/// everything is valid, and applies as one change, so an import is all or nothing.
/// </summary>
public sealed class SmimeBaselineImport
{
    private readonly SmimeSettingsUpdate _update;
    private readonly SmimeCertificateCollectionRecord? _collection;

    private SmimeBaselineImport(SmimeSettingsUpdate update, bool replacesCollection, SmimeCertificateCollectionRecord? collection, int collectionCount)
    {
        _update = update;
        ReplacesCollection = replacesCollection;
        _collection = collection;
        CollectionCount = collectionCount;
    }

    /// <summary>Warnings about weak but accepted values, as Set-SmimeConfig gives them.</summary>
    public IReadOnlyList<string> Warnings => _update.Warnings;

    /// <summary>Whether the baseline has a certificate collection, which replaces the organization's.</summary>
    public bool ReplacesCollection { get; }

    /// <summary>How many certificates the collection to store has (0 clears the organization's).</summary>
    public int CollectionCount { get; }

    /// <summary>Checks a baseline and, when all of it is valid, prepares it for applying.</summary>
    /// <param name="baseline">The baseline; recipients in it are not applied (it holds only their thumbprints).</param>
    /// <param name="source">Names the baseline in the error listing its problems.</param>
    /// <param name="nowUtc">The time against which certificates must not be expired.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="SmimeBaselineInvalidException">Anything is invalid; every problem is listed.</exception>
    public static SmimeBaselineImport Prepare(SmimeBaseline baseline, string source, DateTime nowUtc)
    {
        if (baseline is null)
        {
            throw new ArgumentNullException(nameof(baseline));
        }

        var problems = new List<SmimeBaselineProblem>();
        var warnings = new List<string>();
        IReadOnlyList<KeyValuePair<SmimeSetting, object>> settings = baseline.NormalizeSettings(problems, warnings);
        baseline.CheckThumbprints(problems);
        SmimeCertificateCollection? collection = baseline.CertificateCollection is null
            ? null
            : CheckCollection(baseline.CertificateCollection, nowUtc, problems);
        if (problems.Count > 0)
        {
            throw new SmimeBaselineInvalidException(source, problems);
        }

        // The checked values go through Set-SmimeConfig's own update, which validates them again and applies only
        // what differs from the stored state.
        SmimeSettingsUpdate update = SmimeSettingsUpdate.Create(
            settings.Select(pair => new KeyValuePair<string, object?>(pair.Key.Name, pair.Value)));
        return new SmimeBaselineImport(update, collection is not null, collection?.ToRecord(), collection?.Certificates.Count ?? 0);
    }

    /// <summary>
    /// Applies the settings and the collection to a draft, for <see cref="ISmimeStore.UpdateConfig"/> or a preview.
    /// </summary>
    /// <returns>What changed.</returns>
    public IReadOnlyList<SmimeSettingChange> ApplyTo(SmimeConfigDraft draft)
    {
        if (draft is null)
        {
            throw new ArgumentNullException(nameof(draft));
        }

        var changes = new List<SmimeSettingChange>(_update.ApplyTo(draft.Settings));

        // The same certificates in the same order are no change, even when the stored .sst has other bytes (Windows
        // writes properties into the stores it exports), as with Set-SmimeCertificateCollection.
        IReadOnlyList<string> current = draft.CertificateCollection?.Thumbprints ?? Array.Empty<string>();
        IReadOnlyList<string> next = _collection?.Thumbprints ?? Array.Empty<string>();
        if (ReplacesCollection
            && !current.SequenceEqual(next, StringComparer.Ordinal)
            && draft.ReplaceCertificateCollection(_collection) is SmimeSettingChange replaced)
        {
            changes.Add(replaced);
        }

        return changes;
    }

    private static SmimeCertificateCollection CheckCollection(
        IReadOnlyList<SmimeBaselineCertificate> entries,
        DateTime nowUtc,
        List<SmimeBaselineProblem> problems)
    {
        var certificates = new List<SmimeCaCertificate>();
        foreach (SmimeBaselineCertificate entry in entries)
        {
            byte[]? rawData = entry.GetRawData();
            if (rawData is null)
            {
                problems.Add(CollectionProblem(SmimeBaselineProblemCode.CertificateMissing, entry.Thumbprint, Strings.BaselineCertificateMissing, entry.Thumbprint));
                continue;
            }

            SmimeCaCertificate certificate;
            try
            {
                certificate = SmimeCaCertificate.Parse(rawData);
            }
            catch (CertificateFormatException ex)
            {
                problems.Add(CollectionProblem(SmimeBaselineProblemCode.InvalidCertificateData, entry.Thumbprint, Strings.BaselineCertificateUnreadable, entry.Thumbprint, ex.Message));
                continue;
            }

            if (!string.Equals(certificate.Thumbprint, entry.Thumbprint, StringComparison.Ordinal))
            {
                problems.Add(CollectionProblem(SmimeBaselineProblemCode.ThumbprintMismatch, entry.Thumbprint, Strings.BaselineThumbprintMismatch, entry.Thumbprint, certificate.Thumbprint, certificate.Subject));
                continue;
            }

            if (SmimeCertificateCollection.ValidityAt(certificate, nowUtc) == CertificateValidity.Expired)
            {
                problems.Add(CollectionProblem(SmimeBaselineProblemCode.CertificateExpired, certificate.Thumbprint, Strings.BaselineCertificateExpired, certificate.Subject, certificate.Thumbprint, certificate.NotAfter));
            }

            certificates.Add(certificate);
        }

        SmimeCertificateCollection collection = SmimeCertificateCollection.From(certificates);
        foreach (CertificateCollectionProblem problem in CertificateCollectionValidator.Validate(collection.Certificates))
        {
            SmimeBaselineProblemCode code = problem.Code == CertificateCollectionProblemCode.NotCertificateAuthority
                ? SmimeBaselineProblemCode.NotCertificateAuthority
                : SmimeBaselineProblemCode.IssuerNotInCollection;
            problems.Add(new SmimeBaselineProblem(code, SmimeBaseline.CertificateCollectionName, problem.Certificate.Thumbprint, problem.Message));
        }

        return collection;
    }

    private static SmimeBaselineProblem CollectionProblem(SmimeBaselineProblemCode code, string thumbprint, string format, params object[] arguments) =>
        new(code, SmimeBaseline.CertificateCollectionName, thumbprint, string.Format(CultureInfo.CurrentCulture, format, arguments));
}
