using System;
using System.IO;
using System.Runtime.InteropServices;

namespace SmimeAdmin.Core.Store;

/// <summary>Where the embedded store lives when no folder is named.</summary>
public static class SmimeStoreLocation
{
    /// <summary>The environment variable that names the store folder for every session of a user.</summary>
    public const string EnvironmentVariable = "SMIMEADMIN_STORE";

    /// <summary>
    /// The per-user default folder: <c>%LOCALAPPDATA%\SmimeAdmin</c> on Windows, <c>$XDG_DATA_HOME/SmimeAdmin</c>
    /// (else <c>~/.local/share/SmimeAdmin</c>) on Linux and macOS.
    /// </summary>
    public static string DefaultFolder(Func<string, string?> getEnvironmentVariable)
    {
        if (getEnvironmentVariable is null)
        {
            throw new ArgumentNullException(nameof(getEnvironmentVariable));
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "SmimeAdmin");
        }

        string? dataHome = getEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(dataHome) || !Path.IsPathRooted(dataHome))
        {
            // The XDG base-directory spec says a relative XDG_DATA_HOME is invalid and must be ignored.
            string home = getEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            dataHome = Path.Combine(home, ".local", "share");
        }

        return Path.Combine(dataHome, "SmimeAdmin");
    }
}
