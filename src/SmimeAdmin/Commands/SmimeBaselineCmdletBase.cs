using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using SmimeAdmin.Core.Baselines;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Commands;

/// <summary>What the configuration-as-code cmdlets share: reading configuration files and organizations as baselines.</summary>
public abstract class SmimeBaselineCmdletBase : SmimeCmdletBase
{
    /// <summary>
    /// Reads one configuration file. A path that matches no file or cannot be read gets ReadFiles' error and
    /// <see langword="null"/>; a wildcard that matches several files is a terminating PathAmbiguous error.
    /// </summary>
    internal (SmimeBaseline Baseline, string File)? ReadConfigFile(string path)
    {
        List<(string File, byte[] Content)> files = ReadFiles(new[] { path }, out bool failed);
        if (failed)
        {
            return null;
        }

        if (files.Count > 1)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException(string.Format(CultureInfo.CurrentCulture, Strings.PathAmbiguous, path, files.Count)),
                ErrorMap.PathAmbiguous,
                ErrorCategory.InvalidArgument,
                path));
        }

        (string file, byte[] content) = files[0];
        return (SmimeBaselineFile.Read(content, file), file);
    }

    /// <summary>An organization's state as a baseline, with its published recipients when asked.</summary>
    internal SmimeBaseline ReadOrganization(string organization, bool includeUsers) =>
        SmimeBaseline.FromConfig(Store.ReadConfig(organization), includeUsers ? Store.ReadRecipients(organization) : null);

    /// <summary>
    /// A baseline from a hashtable: setting names and values, and optionally SMIMECertificateIssuingCA with
    /// thumbprints or certificate objects.
    /// </summary>
    internal static SmimeBaseline FromDictionary(IDictionary dictionary)
    {
        var settings = new List<KeyValuePair<string, object?>>();
        List<SmimeBaselineCertificate>? collection = null;
        foreach (DictionaryEntry entry in dictionary)
        {
            string name = Convert.ToString(Unwrap(entry.Key), CultureInfo.InvariantCulture) ?? string.Empty;
            object? value = Unwrap(entry.Value);
            if (string.Equals(name, SmimeBaseline.CertificateCollectionName, StringComparison.OrdinalIgnoreCase))
            {
                collection = AsList(value).Select(ToCollectionEntry).ToList();
            }
            else
            {
                settings.Add(new KeyValuePair<string, object?>(name, value));
            }
        }

        return new SmimeBaseline(settings, collection);
    }

    /// <summary>Writes each difference as an output object.</summary>
    internal void WriteDifferences(string organization, IEnumerable<SmimeBaselineDifference> differences)
    {
        foreach (SmimeBaselineDifference difference in differences)
        {
            WriteObject(new SmimeConfigDifference(organization, difference));
        }
    }

    private static SmimeBaselineCertificate ToCollectionEntry(object? item) => Unwrap(item) switch
    {
        X509Certificate certificate => new SmimeBaselineCertificate(certificate.GetCertHashString(), certificate.GetRawCertData()),
        var other => new SmimeBaselineCertificate(Convert.ToString(other, CultureInfo.InvariantCulture) ?? string.Empty, null),
    };

    private static IEnumerable<object?> AsList(object? value) => value switch
    {
        null => Array.Empty<object?>(),
        string text => new object?[] { text },
        IEnumerable items => items.Cast<object?>(),
        _ => new[] { value },
    };

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
