using System;
using System.Globalization;

namespace SmimeAdmin.Core.Validation;

/// <summary>Formats validation messages: {0} is the certificate's subject, {1} its thumbprint, the details follow.</summary>
internal static class ValidationText
{
    public static string Format(string format, params object?[] arguments) =>
        string.Format(CultureInfo.CurrentCulture, format, arguments);

    public static string About(string format, CertificateNode certificate, params object?[] details)
    {
        object?[] arguments = new object?[details.Length + 2];
        arguments[0] = certificate.Subject;
        arguments[1] = certificate.Thumbprint;
        Array.Copy(details, 0, arguments, 2, details.Length);
        return Format(format, arguments);
    }
}
