using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Settings;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Core.Baselines;

/// <summary>
/// Compares an organization's state with a baseline: one difference per setting, one for the certificate collection,
/// and one per recipient attribute, each only when the baseline names it.
/// </summary>
public static class SmimeBaselineComparer
{
    /// <summary>Lists where <paramref name="actual"/> differs from <paramref name="expected"/>.</summary>
    /// <param name="expected">The baseline; only what it names is compared.</param>
    /// <param name="actual">
    /// The state to check, usually <see cref="SmimeBaseline.FromConfig"/> of the organization, with recipients when
    /// <paramref name="expected"/> has them.
    /// </param>
    /// <param name="expectedSource">Names the baseline in the error listing its problems.</param>
    /// <param name="actualSource">Names the compared state in such an error; its organization when omitted.</param>
    /// <returns>
    /// The differences: settings in <see cref="SmimeSetting.All"/> order, then the collection, then recipients by
    /// address. Empty when the state complies.
    /// </returns>
    /// <remarks>
    /// Values are compared in stored form, so <c>6610;800E</c> in a baseline and <c>6610; 800e</c> stored compare equal.
    /// The collection and each recipient's thumbprints are compared as sets: order does not change trust. A recipient
    /// missing on one side counts as one with no certificates.
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="SmimeBaselineInvalidException">
    /// A side names an unknown setting, has an invalid value or a malformed thumbprint; every problem is listed.
    /// </exception>
    public static IReadOnlyList<SmimeBaselineDifference> Compare(
        SmimeBaseline expected,
        SmimeBaseline actual,
        string expectedSource,
        string? actualSource = null)
    {
        if (expected is null)
        {
            throw new ArgumentNullException(nameof(expected));
        }

        if (actual is null)
        {
            throw new ArgumentNullException(nameof(actual));
        }

        Dictionary<SmimeSetting, object> expectedValues = Normalize(expected, expectedSource);
        Dictionary<SmimeSetting, object> actualValues = Normalize(actual, actualSource ?? actual.Organization ?? expectedSource);

        var differences = new List<SmimeBaselineDifference>();
        foreach (SmimeSetting setting in SmimeSetting.All)
        {
            if (expectedValues.TryGetValue(setting, out object? want))
            {
                actualValues.TryGetValue(setting, out object? have);
                if (!Equals(want, have))
                {
                    differences.Add(new SmimeBaselineDifference(setting.Name, want, have));
                }
            }
        }

        if (expected.CertificateCollection is not null)
        {
            AddIfDifferent(
                differences,
                SmimeBaseline.CertificateCollectionName,
                expected.CertificateCollection.Select(entry => entry.Thumbprint),
                (actual.CertificateCollection ?? Array.Empty<SmimeBaselineCertificate>()).Select(entry => entry.Thumbprint));
        }

        if (expected.Recipients is not null)
        {
            CompareRecipients(differences, expected.Recipients, actual.Recipients ?? Array.Empty<SmimeBaselineRecipient>());
        }

        return differences;
    }

    private static Dictionary<SmimeSetting, object> Normalize(SmimeBaseline baseline, string source)
    {
        var problems = new List<SmimeBaselineProblem>();
        IReadOnlyList<KeyValuePair<SmimeSetting, object>> settings = baseline.NormalizeSettings(problems, new List<string>());
        baseline.CheckThumbprints(problems);
        if (problems.Count > 0)
        {
            throw new SmimeBaselineInvalidException(source, problems);
        }

        // A name given twice (in a hashtable, in two spellings) counts with its last value, as a parameter would.
        var values = new Dictionary<SmimeSetting, object>();
        foreach (KeyValuePair<SmimeSetting, object> pair in settings)
        {
            values[pair.Key] = pair.Value;
        }

        return values;
    }

    private static void CompareRecipients(
        List<SmimeBaselineDifference> differences,
        IReadOnlyList<SmimeBaselineRecipient> expected,
        IReadOnlyList<SmimeBaselineRecipient> actual)
    {
        Dictionary<string, SmimeBaselineRecipient> expectedByAddress = ByAddress(expected);
        Dictionary<string, SmimeBaselineRecipient> actualByAddress = ByAddress(actual);
        IEnumerable<string> addresses = expectedByAddress.Keys.Union(actualByAddress.Keys).OrderBy(address => address, StringComparer.Ordinal);
        foreach (string address in addresses)
        {
            expectedByAddress.TryGetValue(address, out SmimeBaselineRecipient? want);
            actualByAddress.TryGetValue(address, out SmimeBaselineRecipient? have);
            string name = (want ?? have)!.Address;
            AddIfDifferent(
                differences,
                name + ":" + SmimeRecipientDraft.UserCertificateName,
                want?.UserCertificateThumbprints ?? Array.Empty<string>(),
                have?.UserCertificateThumbprints ?? Array.Empty<string>());
            AddIfDifferent(
                differences,
                name + ":" + SmimeRecipientDraft.UserSmimeCertificateName,
                want?.UserSmimeCertificateThumbprints ?? Array.Empty<string>(),
                have?.UserSmimeCertificateThumbprints ?? Array.Empty<string>());
        }
    }

    private static Dictionary<string, SmimeBaselineRecipient> ByAddress(IReadOnlyList<SmimeBaselineRecipient> recipients)
    {
        var byAddress = new Dictionary<string, SmimeBaselineRecipient>(StringComparer.Ordinal);
        foreach (SmimeBaselineRecipient recipient in recipients)
        {
            byAddress[recipient.Address.ToLowerInvariant()] = recipient;
        }

        return byAddress;
    }

    private static void AddIfDifferent(List<SmimeBaselineDifference> differences, string name, IEnumerable<string> expected, IEnumerable<string> actual)
    {
        string[] want = expected.ToArray();
        string[] have = actual.ToArray();
        if (!new HashSet<string>(want, StringComparer.OrdinalIgnoreCase).SetEquals(have))
        {
            differences.Add(new SmimeBaselineDifference(name, want, have));
        }
    }
}
