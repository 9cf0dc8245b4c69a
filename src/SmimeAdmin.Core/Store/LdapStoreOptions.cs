using System;
using System.Collections.Generic;
using System.Net;

namespace SmimeAdmin.Core.Store;

/// <summary>How to reach an LDAP directory that holds organizations (see docs/store-format.md).</summary>
/// <remarks>
/// Kept in Core, which every PowerShell edition loads, so that the cmdlets can describe a connection before the
/// directory provider (a .NET 8 assembly) is loaded.
/// </remarks>
public sealed class LdapStoreOptions
{
    /// <summary>The default time a directory operation may take.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Creates the options.</summary>
    /// <param name="uri">An <c>ldap://host[:port]</c> or <c>ldaps://host[:port]</c> URI.</param>
    /// <param name="baseDn">The entry under which users are searched and organizations are kept.</param>
    /// <exception cref="ArgumentException">The URI is not an absolute ldap or ldaps URI, or the base DN is empty.</exception>
    public LdapStoreOptions(Uri uri, string baseDn)
    {
        if (uri is null || !uri.IsAbsoluteUri || (uri.Scheme != "ldap" && uri.Scheme != "ldaps") || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException(string.Format(System.Globalization.CultureInfo.CurrentCulture, Strings.LdapUriInvalid, uri), nameof(uri));
        }

        if (string.IsNullOrWhiteSpace(baseDn))
        {
            throw new ArgumentException(Strings.LdapBaseDnEmpty, nameof(baseDn));
        }

        Uri = uri;
        BaseDn = baseDn.Trim();
    }

    /// <summary>The directory's URI.</summary>
    public Uri Uri { get; }

    /// <summary>The base DN.</summary>
    public string BaseDn { get; }

    /// <summary>The bind DN (or user name) and password; <see langword="null"/> binds anonymously. Kept in memory only.</summary>
    public NetworkCredential? Credential { get; set; }

    /// <summary>Whether to upgrade an ldap:// connection with StartTLS before binding.</summary>
    public bool StartTls { get; set; }

    /// <summary>
    /// DER certificates of the CAs (or the server certificates) to trust for TLS in addition to the system's trust
    /// store; a private CA goes here. The server certificate is always validated.
    /// </summary>
    public IReadOnlyList<byte[]> TrustedCertificates { get; set; } = Array.Empty<byte[]>();

    /// <summary>How long one directory operation may take.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>Whether the connection is protected by TLS (ldaps:// or StartTLS).</summary>
    public bool UsesTls => Uri.Scheme == "ldaps" || StartTls;

    /// <summary>The port: the URI's, else 636 for ldaps and 389 for ldap.</summary>
    public int Port => Uri.IsDefaultPort || Uri.Port < 0 ? (Uri.Scheme == "ldaps" ? 636 : 389) : Uri.Port;
}
