using System.Globalization;

namespace SmimeAdmin.Core.Baselines;

/// <summary>Why a baseline, or part of it, cannot be compared or applied.</summary>
public enum SmimeBaselineProblemCode
{
    /// <summary>A name is neither a setting nor a section of the baseline.</summary>
    UnknownSetting,

    /// <summary>A setting's value is not one Set-SmimeConfig accepts.</summary>
    InvalidSettingValue,

    /// <summary>A collection entry's thumbprint is not 40 hexadecimal digits.</summary>
    InvalidThumbprint,

    /// <summary>A collection entry carries no certificate, so it cannot be imported.</summary>
    CertificateMissing,

    /// <summary>A collection entry's certificate cannot be read.</summary>
    InvalidCertificateData,

    /// <summary>A collection entry's certificate does not have the thumbprint written beside it.</summary>
    ThumbprintMismatch,

    /// <summary>A collection certificate is past its NotAfter.</summary>
    CertificateExpired,

    /// <summary>A collection certificate is not a certification authority.</summary>
    NotCertificateAuthority,

    /// <summary>A collection certificate's issuer is not in the collection.</summary>
    IssuerNotInCollection,
}

/// <summary>One problem of a baseline: what is wrong, where, and with which value.</summary>
public sealed class SmimeBaselineProblem
{
    /// <summary>Creates the problem.</summary>
    public SmimeBaselineProblem(SmimeBaselineProblemCode code, string setting, object? value, string message)
    {
        Code = code;
        Setting = setting;
        Value = value;
        Message = message;
    }

    /// <summary>What is wrong, for programs; also the error id the cmdlets use.</summary>
    public SmimeBaselineProblemCode Code { get; }

    /// <summary>The setting, or <c>SMIMECertificateIssuingCA</c> for the collection.</summary>
    public string Setting { get; }

    /// <summary>The offending value (a thumbprint for the collection).</summary>
    public object? Value { get; }

    /// <summary>What is wrong, for people, with what would be accepted.</summary>
    public string Message { get; }

    /// <inheritdoc/>
    public override string ToString() => string.Format(CultureInfo.CurrentCulture, "{0}: {1}", Setting, Message);
}
