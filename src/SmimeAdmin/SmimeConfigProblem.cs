using SmimeAdmin.Core.Baselines;

namespace SmimeAdmin;

/// <summary>One problem of a configuration file or baseline, listed in the InvalidConfig error's target.</summary>
public sealed class SmimeConfigProblem
{
    internal SmimeConfigProblem(SmimeBaselineProblem problem)
    {
        Reason = problem.Code.ToString();
        Setting = problem.Setting;
        Value = problem.Value;
        Message = problem.Message;
    }

    /// <summary>What is wrong, e.g. InvalidSettingValue, UnknownSetting, CertificateExpired.</summary>
    public string Reason { get; }

    /// <summary>The setting, or SMIMECertificateIssuingCA for the collection.</summary>
    public string Setting { get; }

    /// <summary>The offending value (a thumbprint for the collection).</summary>
    public object? Value { get; }

    /// <summary>What is wrong and what would be accepted.</summary>
    public string Message { get; }

    /// <inheritdoc/>
    public override string ToString() => Setting + ": " + Message;
}
