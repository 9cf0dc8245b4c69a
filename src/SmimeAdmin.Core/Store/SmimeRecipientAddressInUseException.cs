using System.Globalization;

namespace SmimeAdmin.Core.Store;

/// <summary>
/// An address given to one recipient already belongs to another, as its primary or a proxy address. Addresses are
/// unique within an organization, as in Exchange, so that each one finds exactly one recipient.
/// </summary>
public sealed class SmimeRecipientAddressInUseException : SmimeAdminException
{
    /// <summary>Creates the exception naming the address and the recipient that has it.</summary>
    public SmimeRecipientAddressInUseException(string address, string owner)
        : base(string.Format(CultureInfo.CurrentCulture, Strings.RecipientAddressInUse, address, owner))
    {
        Address = address;
        Owner = owner;
    }

    /// <summary>The address that is taken.</summary>
    public string Address { get; }

    /// <summary>The primary SMTP address of the recipient that has it.</summary>
    public string Owner { get; }
}
