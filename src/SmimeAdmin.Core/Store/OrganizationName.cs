using System;
using System.Collections.Generic;

namespace SmimeAdmin.Core.Store;

/// <summary>Rules for organization (tenant) names.</summary>
public static class OrganizationName
{
    /// <summary>The organization used when none is named.</summary>
    public const string Default = "Default";

    /// <summary>The longest accepted name (a DNS label limit is 63; tenant domains are longer).</summary>
    public const int MaximumLength = 128;

    // Windows reserves these device names for any file name whose part before the first dot is one of them.
    private static readonly HashSet<string> s_reservedOnWindows = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>
    /// Checks a name: 1 to 128 letters, digits, '.', '-' or '_', starting with a letter or digit and not ending with
    /// '.', and not a Windows device name (CON, NUL, COM1, ...) before its first dot, so that it is safe as a folder
    /// name on every platform and as a directory RDN value. Names compare case-insensitively.
    /// </summary>
    /// <returns>The name, unchanged.</returns>
    /// <exception cref="SmimeOrganizationNameException">The name breaks the rules.</exception>
    public static string Validate(string? name)
    {
        if (string.IsNullOrEmpty(name)
            || name!.Length > MaximumLength
            || !char.IsLetterOrDigit(name[0])
            || name[name.Length - 1] == '.'
            || s_reservedOnWindows.Contains(name.Split('.')[0]))
        {
            throw new SmimeOrganizationNameException(name);
        }

        foreach (char c in name)
        {
            bool asciiLetterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!asciiLetterOrDigit && c != '.' && c != '-' && c != '_')
            {
                throw new SmimeOrganizationNameException(name);
            }
        }

        return name;
    }
}
