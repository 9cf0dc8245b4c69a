namespace SmimeAdmin.Core.Publishing;

/// <summary>A PKCS #12 (.pfx) file cannot be opened: the password is wrong or missing, or the file is damaged.</summary>
/// <remarks>
/// PKCS #12 cannot tell a wrong password from a damaged file (both fail the integrity check), so the message says
/// both; <see cref="PasswordGiven"/> tells a missing password apart.
/// </remarks>
public sealed class CertificatePasswordException : SmimeAdminException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="passwordGiven">Whether a password was given.</param>
    /// <param name="innerException">The error that revealed the problem.</param>
    public CertificatePasswordException(bool passwordGiven, System.Exception? innerException = null)
        : base(passwordGiven ? Strings.CertificatePasswordWrong : Strings.CertificatePasswordMissing, innerException)
    {
        PasswordGiven = passwordGiven;
    }

    /// <summary>Whether a password was given (and is wrong) rather than none.</summary>
    public bool PasswordGiven { get; }
}
