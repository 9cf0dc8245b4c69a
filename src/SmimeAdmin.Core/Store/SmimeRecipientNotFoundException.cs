using System.Globalization;

namespace SmimeAdmin.Core.Store;

/// <summary>No recipient of the organization has the address as its primary or a proxy address.</summary>
public sealed class SmimeRecipientNotFoundException : SmimeAdminException
{
    /// <summary>Creates the exception naming the organization and the address looked for.</summary>
    public SmimeRecipientNotFoundException(string organization, string identity)
        : base(string.Format(CultureInfo.CurrentCulture, Strings.RecipientNotFound, identity, organization))
    {
        Organization = organization;
        Identity = identity;
    }

    /// <summary>Creates the exception with a message of its own, e.g. one that says why the recipient cannot be created.</summary>
    public SmimeRecipientNotFoundException(string organization, string identity, string message)
        : base(message)
    {
        Organization = organization;
        Identity = identity;
    }

    /// <summary>The organization searched.</summary>
    public string Organization { get; }

    /// <summary>The address looked for.</summary>
    public string Identity { get; }
}
