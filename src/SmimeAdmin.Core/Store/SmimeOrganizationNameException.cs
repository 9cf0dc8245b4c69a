using System.Globalization;

namespace SmimeAdmin.Core.Store;

/// <summary>An organization name that cannot name an organization in a store.</summary>
public sealed class SmimeOrganizationNameException : SmimeAdminException
{
    /// <summary>Creates the exception naming the rejected name.</summary>
    public SmimeOrganizationNameException(string? name)
        : base(string.Format(CultureInfo.CurrentCulture, Strings.OrganizationNameInvalid, name))
    {
        Name = name;
    }

    /// <summary>The rejected name.</summary>
    public string? Name { get; }
}
