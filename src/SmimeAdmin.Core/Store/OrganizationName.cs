namespace SmimeAdmin.Core.Store;

/// <summary>Rules for organization (tenant) names.</summary>
public static class OrganizationName
{
    /// <summary>The organization used when none is named.</summary>
    public const string Default = "Default";

    /// <summary>The longest accepted name (a DNS label limit is 63; tenant domains are longer).</summary>
    public const int MaximumLength = 128;

    /// <summary>
    /// Checks a name: 1 to 128 letters, digits, '.', '-' or '_', starting with a letter or digit, so that it is safe
    /// as a folder name on every platform and as a directory RDN value. Names compare case-insensitively.
    /// </summary>
    /// <returns>The name, unchanged.</returns>
    /// <exception cref="SmimeOrganizationNameException">The name breaks the rules.</exception>
    public static string Validate(string? name)
    {
        if (string.IsNullOrEmpty(name) || name!.Length > MaximumLength || !char.IsLetterOrDigit(name[0]))
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
