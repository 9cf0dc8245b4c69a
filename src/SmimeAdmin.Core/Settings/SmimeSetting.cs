using System;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;

namespace SmimeAdmin.Core.Settings;

/// <summary>
/// Describes one setting of <see cref="SmimeSettings"/>: its name, kind, accepted range and default.
/// </summary>
public sealed class SmimeSetting
{
    private static readonly SmimeSettings s_defaults = new();
    private readonly PropertyInfo _property;

    private SmimeSetting(string name, SmimeSettingKind kind, uint maximum)
    {
        _property = typeof(SmimeSettings).GetProperty(name)
            ?? throw new InvalidOperationException("SmimeSettings has no property " + name);
        Name = name;
        Kind = kind;
        Maximum = maximum;
    }

    /// <summary>The setting's name, identical to Exchange's parameter and property name.</summary>
    public string Name { get; }

    /// <summary>The kind of value the setting holds.</summary>
    public SmimeSettingKind Kind { get; }

    /// <summary>The .NET type of the value.</summary>
    public Type ValueType => _property.PropertyType;

    /// <summary>The largest accepted value of a <see cref="SmimeSettingKind.WholeNumber"/> setting.</summary>
    public uint Maximum { get; }

    /// <summary>Exchange's default value.</summary>
    public object DefaultValue => GetValue(s_defaults);

    /// <summary>
    /// Every setting, in the declaration order of Exchange's SmimeConfig object (the order its list view shows).
    /// </summary>
    public static IReadOnlyList<SmimeSetting> All { get; } = new[]
    {
        Flag(nameof(SmimeSettings.OWACheckCRLOnSend)),
        Number(nameof(SmimeSettings.OWADLExpansionTimeout)),
        Flag(nameof(SmimeSettings.OWAUseSecondaryProxiesWhenFindingCertificates)),
        Number(nameof(SmimeSettings.OWACRLConnectionTimeout)),
        Number(nameof(SmimeSettings.OWACRLRetrievalTimeout)),
        Flag(nameof(SmimeSettings.OWADisableCRLCheck)),
        Flag(nameof(SmimeSettings.OWAAlwaysSign)),
        Flag(nameof(SmimeSettings.OWAAlwaysEncrypt)),
        Flag(nameof(SmimeSettings.OWAClearSign)),
        Flag(nameof(SmimeSettings.OWAIncludeCertificateChainWithoutRootCertificate)),
        Flag(nameof(SmimeSettings.OWAIncludeCertificateChainAndRootCertificate)),
        Flag(nameof(SmimeSettings.OWAEncryptTemporaryBuffers)),
        Flag(nameof(SmimeSettings.OWASignedEmailCertificateInclusion)),
        Number(nameof(SmimeSettings.OWABCCEncryptedEmailForking), maximum: 2),
        Flag(nameof(SmimeSettings.OWAIncludeSMIMECapabilitiesInMessage)),
        Flag(nameof(SmimeSettings.OWACopyRecipientHeaders)),
        Flag(nameof(SmimeSettings.OWAOnlyUseSmartCard)),
        Flag(nameof(SmimeSettings.OWATripleWrapSignedEncryptedMail)),
        Flag(nameof(SmimeSettings.OWAUseKeyIdentifier)),
        new SmimeSetting(nameof(SmimeSettings.OWAEncryptionAlgorithms), SmimeSettingKind.EncryptionAlgorithmList, 0),
        new SmimeSetting(nameof(SmimeSettings.OWASigningAlgorithms), SmimeSettingKind.SigningAlgorithmList, 0),
        Flag(nameof(SmimeSettings.OWAForceSMIMEClientUpgrade)),
        new SmimeSetting(nameof(SmimeSettings.OWASenderCertificateAttributesToDisplay), SmimeSettingKind.OidList, 0),
        Flag(nameof(SmimeSettings.OWAAllowUserChoiceOfSigningCertificate)),
        Flag(nameof(SmimeSettings.NoSignOnReply)),
    };

    /// <summary>Finds a setting by name, ignoring case as PowerShell does.</summary>
    /// <returns>The setting, or <see langword="null"/> when no setting has that name.</returns>
    public static SmimeSetting? Find(string name)
    {
        foreach (SmimeSetting setting in All)
        {
            if (string.Equals(setting.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return setting;
            }
        }

        return null;
    }

    /// <summary>Reads this setting's value from <paramref name="settings"/>.</summary>
    public object GetValue(SmimeSettings settings) => _property.GetValue(settings)!;

    /// <summary>Writes an already validated value into <paramref name="settings"/>.</summary>
    public void SetValue(SmimeSettings settings, object value) => _property.SetValue(settings, value);

    /// <summary>Formats a value the way the audit log and messages show it (invariant culture).</summary>
    public static string FormatValue(object? value) => value switch
    {
        null => string.Empty,
        bool flag => flag ? "True" : "False",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static SmimeSetting Flag(string name) => new(name, SmimeSettingKind.Boolean, 0);

    private static SmimeSetting Number(string name, uint maximum = uint.MaxValue) => new(name, SmimeSettingKind.WholeNumber, maximum);
}
