namespace SmimeAdmin.Core.Baselines;

/// <summary>One setting whose value differs from what a baseline expects.</summary>
public sealed class SmimeBaselineDifference
{
    /// <summary>Creates the difference.</summary>
    public SmimeBaselineDifference(string setting, object? expected, object? actual, string? explanation = null)
    {
        Setting = setting;
        Expected = expected;
        Actual = actual;
        Explanation = explanation;
    }

    /// <summary>
    /// The setting's name; <c>SMIMECertificateIssuingCA</c> for the certificate collection; for a recipient,
    /// its address and the attribute, e.g. <c>alice@contoso.com:userCertificate</c>.
    /// </summary>
    public string Setting { get; }

    /// <summary>
    /// What the baseline expects: the value in stored form; for the collection and recipients, the thumbprints;
    /// for a recommendation, a description of what is recommended.
    /// </summary>
    public object? Expected { get; }

    /// <summary>The organization's value, in the same form.</summary>
    public object? Actual { get; }

    /// <summary>Why it matters; set for the findings of the recommended baseline.</summary>
    public string? Explanation { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        Setting + ": expected " + Format(Expected) + ", actual " + Format(Actual);

    private static string Format(object? value) => value switch
    {
        string[] list => "{" + string.Join(", ", list) + "}",
        _ => Settings.SmimeSetting.FormatValue(value),
    };
}
