using System.Globalization;

namespace SmimeAdmin.Core.Store;

/// <summary>A text that cannot identify a recipient: not an SMTP address the store accepts.</summary>
public sealed class SmimeRecipientAddressException : SmimeAdminException
{
    /// <summary>Creates the exception naming the rejected address and what is wrong with it.</summary>
    public SmimeRecipientAddressException(string? address, string problem)
        : base(string.Format(CultureInfo.CurrentCulture, Strings.RecipientAddressInvalid, address, problem))
    {
        Address = address;
        Problem = problem;
    }

    /// <summary>The rejected address, as given.</summary>
    public string? Address { get; }

    /// <summary>Which rule the address breaks.</summary>
    public string Problem { get; }
}
