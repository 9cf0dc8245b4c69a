using System;
using System.Collections.Generic;
using System.Linq;
using SmimeAdmin.Core.Settings;
using Xunit;

namespace SmimeAdmin.Core.Tests;

/// <summary>
/// Exchange's S/MIME settings as shared/reference/exchange-smime.md states them (§1 defaults, §3 declaration order
/// and types). Written out here so that tests compare the library against the reference, not against itself.
/// </summary>
internal static class ExchangeSmimeConfig
{
    // §3 order; the SMIMECertificate* properties are not modelled, and NoSignOnReply (EXO only) comes last.
    public static readonly IReadOnlyList<(string Name, Type Type, object Default)> Properties = new (string, Type, object)[]
    {
        ("OWACheckCRLOnSend", typeof(bool), false),
        ("OWADLExpansionTimeout", typeof(uint), 60000u),
        ("OWAUseSecondaryProxiesWhenFindingCertificates", typeof(bool), true),
        ("OWACRLConnectionTimeout", typeof(uint), 60000u),
        ("OWACRLRetrievalTimeout", typeof(uint), 10000u),
        ("OWADisableCRLCheck", typeof(bool), false),
        ("OWAAlwaysSign", typeof(bool), false),
        ("OWAAlwaysEncrypt", typeof(bool), false),
        ("OWAClearSign", typeof(bool), true),
        ("OWAIncludeCertificateChainWithoutRootCertificate", typeof(bool), false),
        ("OWAIncludeCertificateChainAndRootCertificate", typeof(bool), false),
        ("OWAEncryptTemporaryBuffers", typeof(bool), true),
        ("OWASignedEmailCertificateInclusion", typeof(bool), true),
        ("OWABCCEncryptedEmailForking", typeof(uint), 0u),
        ("OWAIncludeSMIMECapabilitiesInMessage", typeof(bool), false),
        ("OWACopyRecipientHeaders", typeof(bool), false),
        ("OWAOnlyUseSmartCard", typeof(bool), false),
        ("OWATripleWrapSignedEncryptedMail", typeof(bool), false),
        ("OWAUseKeyIdentifier", typeof(bool), false),
        ("OWAEncryptionAlgorithms", typeof(string), "6610"),
        ("OWASigningAlgorithms", typeof(string), "8004"),
        ("OWAForceSMIMEClientUpgrade", typeof(bool), true),
        ("OWASenderCertificateAttributesToDisplay", typeof(string), ""),
        ("OWAAllowUserChoiceOfSigningCertificate", typeof(bool), false),
        ("NoSignOnReply", typeof(bool), true),
    };

    public static IReadOnlyList<string> Names { get; } = Properties.Select(property => property.Name).ToArray();

    /// <summary>Name, .NET type and Exchange default of every setting.</summary>
    public static TheoryData<string, Type, object> Settings
    {
        get
        {
            var data = new TheoryData<string, Type, object>();
            foreach ((string name, Type type, object value) in Properties)
            {
                data.Add(name, type, value);
            }

            return data;
        }
    }

    /// <summary>A value of the setting's type that differs from Exchange's default and that the setting accepts.</summary>
    public static object NonDefault(string name)
    {
        object value = Properties.Single(property => property.Name == name).Default;
        return value switch
        {
            bool flag => !flag,
            uint number => number == 0 ? 1u : number - 1,
            _ => name switch
            {
                "OWAEncryptionAlgorithms" => "660E",
                "OWASigningAlgorithms" => "800C",
                _ => "2.5.4.3",
            },
        };
    }

    /// <summary>Reads a property of <see cref="SmimeSettings"/> by name.</summary>
    public static object Get(SmimeSettings settings, string name) =>
        typeof(SmimeSettings).GetProperty(name)!.GetValue(settings)!;

    /// <summary>Writes a property of <see cref="SmimeSettings"/> by name.</summary>
    public static void Set(SmimeSettings settings, string name, object value) =>
        typeof(SmimeSettings).GetProperty(name)!.SetValue(settings, value);

    /// <summary>Asserts that every setting except <paramref name="except"/> has the same value in both objects.</summary>
    public static void AssertSameExcept(SmimeSettings expected, SmimeSettings actual, params string[] except)
    {
        foreach (string name in Names.Except(except))
        {
            Assert.True(Equals(Get(expected, name), Get(actual, name)), name + " differs");
        }
    }

    /// <summary>Asserts that every setting holds Exchange's default.</summary>
    public static void AssertDefaults(SmimeSettings actual)
    {
        foreach ((string name, _, object expected) in Properties)
        {
            Assert.True(Equals(expected, Get(actual, name)), name + " is not Exchange's default");
        }
    }

    /// <summary>Settings in which every value differs from Exchange's default.</summary>
    public static SmimeSettings AllNonDefault()
    {
        var settings = new SmimeSettings();
        foreach (string name in Names)
        {
            Set(settings, name, NonDefault(name));
        }

        return settings;
    }
}
