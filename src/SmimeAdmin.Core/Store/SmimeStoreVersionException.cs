using System.Globalization;

namespace SmimeAdmin.Core.Store;

/// <summary>A file of the store was written by a newer schema version than this SmimeAdmin understands.</summary>
public sealed class SmimeStoreVersionException : SmimeStoreException
{
    /// <summary>Creates the exception naming the file and both versions.</summary>
    public SmimeStoreVersionException(string path, int foundVersion, int supportedVersion)
        : base(
            string.Format(CultureInfo.CurrentCulture, Strings.StoreFileTooNew, path, foundVersion, supportedVersion),
            path)
    {
        FoundVersion = foundVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The schema version found in the file.</summary>
    public int FoundVersion { get; }

    /// <summary>The newest schema version this SmimeAdmin reads.</summary>
    public int SupportedVersion { get; }
}
