using SmimeAdmin.Core.Baselines;

namespace SmimeAdmin;

/// <summary>
/// One way an organization's S/MIME configuration differs from a baseline (Test-SmimeConfig) or from another
/// configuration (Compare-SmimeConfig).
/// </summary>
public sealed class SmimeConfigDifference
{
    internal SmimeConfigDifference(string organization, SmimeBaselineDifference difference)
    {
        Organization = organization;
        Setting = difference.Setting;
        Expected = difference.Expected;
        Actual = difference.Actual;
        Explanation = difference.Explanation;
    }

    /// <summary>The organization checked (for Compare-SmimeConfig, the difference side).</summary>
    public string Organization { get; }

    /// <summary>
    /// The setting; SMIMECertificateIssuingCA for the certificate collection; address:attribute for a recipient.
    /// </summary>
    public string Setting { get; }

    /// <summary>The baseline's (or reference's) value; for the collection and recipients, the thumbprints.</summary>
    public object? Expected { get; }

    /// <summary>The organization's (or difference side's) value.</summary>
    public object? Actual { get; }

    /// <summary>Why the recommended baseline asks for the expected value; empty otherwise.</summary>
    public string? Explanation { get; }
}
