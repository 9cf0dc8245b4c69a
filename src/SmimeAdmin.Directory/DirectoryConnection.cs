using System;
using System.Collections.Generic;
using System.DirectoryServices.Protocols;
using System.Globalization;
using System.IO;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using SmimeAdmin.Core.Store;

namespace SmimeAdmin.Ldap;

/// <summary>
/// One bound LDAP connection, made again on the next request after the server went away, so that a command
/// re-run after an outage carries on. Turns the client's exceptions into store exceptions that name the URI.
/// </summary>
internal sealed class DirectoryConnection : IDisposable
{
    // The client's own codes (not LDAP result codes) for a lost or unreachable server.
    private const int ServerDown = 81;
    private const int Timeout = 85;
    private const int ConnectError = 91;
    private const int InvalidCredentials = 49;

    private const string TrustFileName = "trusted.pem";

    /// <summary>
    /// How many connections <see cref="SendConcurrently"/> uses. Two keep the server busy; more only lengthen its queue
    /// (measured against slapd on two cores).
    /// </summary>
    public const int WriteConnections = 2;

    // Where Linux distributions keep the system's CA bundle (Debian/Ubuntu, Fedora/RHEL, Alpine and macOS).
    private static readonly string[] s_systemBundles =
    {
        "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem",
    };

    private readonly LdapStoreOptions _options;
    private readonly string _location;
    private readonly string? _trustFolder;
    // The bound connections: the first serves Send, and all of them serve SendConcurrently's lanes. Each is opened
    // when first needed and emptied when its server went away, so that the next request connects again.
    private readonly LdapConnection?[] _connections = new LdapConnection?[WriteConnections];

    public DirectoryConnection(LdapStoreOptions options)
    {
        _options = options;
        _location = options.Uri.GetLeftPart(UriPartial.Authority);
        if (options.TrustedCertificates.Count > 0 && !RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            _trustFolder = WriteTrustFile(options);
        }
    }

    /// <summary>The CA folder given to libldap for <c>-TrustedCertificate</c>, or <see langword="null"/> if none.</summary>
    internal string? TrustFolder => _trustFolder;

    /// <summary>The URI without path, as error messages name it.</summary>
    public string Location => _location;

    /// <summary>Sends a request and returns its response; any failure becomes a <see cref="SmimeStoreException"/>.</summary>
    /// <exception cref="SmimeStoreAccessDeniedException">The bind or the operation was refused.</exception>
    /// <exception cref="SmimeStoreException">The server cannot be reached or answered with an error.</exception>
    public T Send<T>(DirectoryRequest request, string target)
        where T : DirectoryResponse =>
        (T)SendOn(0, request, target);

    /// <summary>
    /// Sends independent requests over <see cref="WriteConnections"/> connections at once, so that the server works on
    /// one while the answer to another is on its way. (The client's own asynchronous requests poll for their answers
    /// with growing sleeps, which is slower than waiting on several connections.)
    /// </summary>
    /// <param name="requests">Requests whose order does not matter, e.g. modifies of different entries.</param>
    /// <returns>Per request, in order: its response, or the <see cref="SmimeStoreException"/> its failure became.</returns>
    public IReadOnlyList<(DirectoryResponse? Response, SmimeStoreException? Error)> SendConcurrently(IReadOnlyList<(DirectoryRequest Request, string Target)> requests)
    {
        var outcomes = new (DirectoryResponse? Response, SmimeStoreException? Error)[requests.Count];
        int lanes = Math.Min(WriteConnections, requests.Count);
        Parallel.For(0, lanes, new ParallelOptions { MaxDegreeOfParallelism = lanes }, lane =>
        {
            for (int index = lane; index < requests.Count; index += lanes)
            {
                try
                {
                    outcomes[index] = (SendOn(lane, requests[index].Request, requests[index].Target), null);
                }
                catch (SmimeStoreException ex)
                {
                    outcomes[index] = (null, ex);
                }
            }
        });
        return outcomes;
    }

    // Sends a request on one connection; each lane of SendConcurrently has its own, so no two threads share one.
    private DirectoryResponse SendOn(int slot, DirectoryRequest request, string target)
    {
        LdapConnection connection = _connections[slot] ??= Open();
        try
        {
            return connection.SendRequest(request, _options.Timeout);
        }
        catch (Exception ex) when (ex is LdapException or DirectoryOperationException)
        {
            if (IsLostConnection(ex))
            {
                connection.Dispose();
                _connections[slot] = null;
            }

            throw Translate(ex, target);
        }
    }

    /// <summary>Binds now, so that a wrong password or an unreachable server is reported at connect time.</summary>
    public void EnsureOpen() => _connections[0] ??= Open();

    public void Dispose()
    {
        foreach (LdapConnection? connection in _connections)
        {
            connection?.Dispose();
        }

        if (_trustFolder is not null)
        {
            try
            {
                Directory.Delete(_trustFolder, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder of public CA certificates; the system cleans it up later.
            }
        }
    }

    private LdapConnection Open()
    {
        var identifier = new LdapDirectoryIdentifier(_options.Uri.Host, _options.Port, fullyQualifiedDnsHostName: true, connectionless: false);
        NetworkCredential? credential = _options.Credential;
        var connection = new LdapConnection(identifier, credential, credential is null ? AuthType.Anonymous : AuthType.Basic)
        {
            Timeout = _options.Timeout,
            AutoBind = false,
        };
        try
        {
            connection.SessionOptions.ProtocolVersion = 3;
            connection.SessionOptions.ReferralChasing = ReferralChasingOptions.None;
            if (_options.TrustedCertificates.Count > 0)
            {
                if (_trustFolder is not null && !OperatingSystem.IsWindows())
                {
                    // Per connection: libldap copies the folder into this handle's options, and the new TLS context
                    // is built from them, so other connections of the process keep their trust.
                    connection.SessionOptions.TrustedCertificatesDirectory = _trustFolder;
                    connection.SessionOptions.StartNewTlsSessionContext();
                }
                else
                {
                    connection.SessionOptions.VerifyServerCertificate = VerifyWithTrustedCertificates;
                }
            }

            if (_options.Uri.Scheme == "ldaps")
            {
                connection.SessionOptions.SecureSocketLayer = true;
            }
            else if (_options.StartTls)
            {
                StartTls(connection);
            }

            connection.Bind();
            return connection;
        }
        catch (Exception ex)
        {
            connection.Dispose();
            if (OpenFailure(ex) is SmimeStoreException failure)
            {
                throw failure;
            }

            throw;
        }
    }

    // What a failure to set up or bind a connection means to the caller; null for a failure that says so already.
    private SmimeStoreException? OpenFailure(Exception exception) => exception switch
    {
        // libldap reports a refused certificate as a lost server; say what else it may be.
        LdapException { ErrorCode: ServerDown } ex when _options.Uri.Scheme == "ldaps" => new SmimeStoreException(
            string.Format(CultureInfo.CurrentCulture, Strings.DirectoryUnreachableOrTlsFailed, _location, ex.Message.TrimEnd('.')), _location, ex),
        LdapException ex => Translate(ex, _location),

        // Without TLS this can only be the bind's result, which the client reports without its code; the usual one is
        // a directory that takes binds over TLS only (confidentialityRequired, strongAuthRequired).
        DirectoryOperationException ex when _options.Uri.Scheme == "ldap" && !_options.StartTls => new SmimeStoreAccessDeniedException(
            _location, string.Format(CultureInfo.CurrentCulture, Strings.DirectoryBindRefused, ex.Message.TrimEnd('.', ' ')), ex),
        DirectoryOperationException ex => new SmimeStoreException(
            string.Format(CultureInfo.CurrentCulture, Strings.DirectoryTlsFailed, _location, ex.Message), _location, ex),
        _ => null,
    };

    // Never falls back to a clear-text bind: any failure here ends the connection before the bind.
    private void StartTls(LdapConnection connection)
    {
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                // The URI LdapConnection itself gives libldap when it connects; without it ldap_start_tls_s has no
                // server to talk to (see LibLdap).
                LibLdap.SetUri(connection, string.Create(CultureInfo.InvariantCulture, $"ldap://{_options.Uri.Host}:{_options.Port}"));
            }

            connection.SessionOptions.StartTransportLayerSecurity(null);
            if (!OperatingSystem.IsWindows() && !LibLdap.IsTlsInPlace(connection))
            {
                throw new PlatformNotSupportedException(Strings.DirectoryStartTlsNotInPlace);
            }
        }
        catch (Exception ex) when (ex is LdapException or DirectoryOperationException or PlatformNotSupportedException)
        {
            string reason = ex is LdapException ldap && !string.IsNullOrWhiteSpace(ldap.ServerErrorMessage)
                ? ldap.Message.TrimEnd('.', ' ') + " (" + ldap.ServerErrorMessage.TrimEnd('.', ' ') + ")"
                : ex.Message.TrimEnd('.', ' ');
            throw new SmimeStoreException(
                string.Format(CultureInfo.CurrentCulture, Strings.DirectoryStartTlsFailed, _location, reason), _location, ex);
        }
    }

    private static bool IsLostConnection(Exception exception) =>
        exception is LdapException { ErrorCode: ServerDown or Timeout or ConnectError or InvalidCredentials };

    private SmimeStoreException Translate(Exception exception, string target)
    {
        if (exception is DirectoryOperationException operation)
        {
            ResultCode? code = operation.Response?.ResultCode;
            return code is ResultCode.InsufficientAccessRights or ResultCode.StrongAuthRequired or ResultCode.ConfidentialityRequired
                ? new SmimeStoreAccessDeniedException(target, operation.Message, operation)
                : new SmimeStoreException(
                    string.Format(CultureInfo.CurrentCulture, Strings.DirectoryRequestFailed, target, code, operation.Response?.ErrorMessage ?? operation.Message), target, operation);
        }

        var ldap = (LdapException)exception;
        if (ldap.ErrorCode is ServerDown or Timeout or ConnectError)
        {
            return new SmimeStoreException(
                string.Format(CultureInfo.CurrentCulture, Strings.DirectoryUnreachable, _location, ldap.Message.TrimEnd('.')), _location, ldap);
        }

        if (ldap.ErrorCode == InvalidCredentials)
        {
            return new SmimeStoreAccessDeniedException(_location, Strings.DirectoryInvalidCredentials, ldap);
        }

        return new SmimeStoreException(
            string.Format(CultureInfo.CurrentCulture, Strings.DirectoryRequestFailed, target, ldap.ErrorCode, ldap.ServerErrorMessage ?? ldap.Message), target, ldap);
    }

    // Windows (Schannel) asks this callback; the system's trust store has already been consulted by then only for
    // the default policy, so the private CAs are checked here with a chain that trusts exactly them.
    private bool VerifyWithTrustedCertificates(LdapConnection connection, X509Certificate certificate)
    {
        using var server = new X509Certificate2(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        foreach (byte[] der in _options.TrustedCertificates)
        {
            chain.ChainPolicy.CustomTrustStore.Add(new X509Certificate2(der));
        }

        return chain.Build(server) && server.MatchesHostname(_options.Uri.Host);
    }

    // The CA folder libldap trusts for this connection (LDAP_OPT_X_TLS_CACERTDIR, set through the public
    // TrustedCertificatesDirectory); the folder replaces the CA file option that needed the connection's private
    // handle. It is private to this process and holds public certificates only, in two forms, one for each TLS
    // library libldap may be built with:
    // - trusted.pem, the system's bundle, so that public CAs stay trusted, followed by the certificates given. GnuTLS
    //   builds (Debian, Ubuntu) read every file of the folder whatever its name.
    // - each certificate given, alone, under its OpenSSL subject-hash name <hash>.<n>, as `openssl rehash` names it.
    //   OpenSSL builds (Fedora/RHEL, macOS) look certificates up by that name only, and ignore trusted.pem; with a
    //   folder set they no longer read OpenSSL's default store, so they trust the certificates given plus a CA file
    //   configured in ldap.conf (TLS_CACERT), if any. GnuTLS reads these files too, which only repeats trusted.pem.
    private static string WriteTrustFile(LdapStoreOptions options)
    {
        string folder = Path.Combine(Path.GetTempPath(), "smimeadmin-ldap-trust-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var pem = new System.Text.StringBuilder();
        foreach (string bundle in s_systemBundles)
        {
            if (File.Exists(bundle))
            {
                pem.Append(File.ReadAllText(bundle)).Append('\n');
                break;
            }
        }

        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (byte[] der in options.TrustedCertificates)
        {
            using var certificate = new X509Certificate2(der);
            string certificatePem = certificate.ExportCertificatePem() + "\n";
            pem.Append(certificatePem);
            if (written.Add(certificate.Thumbprint))
            {
                WriteHashFile(folder, certificate, certificatePem);
            }
        }

        File.WriteAllText(Path.Combine(folder, TrustFileName), pem.ToString());
        return folder;
    }

    // <hash>.<n> with the first n not taken: certificates whose subjects share a hash (the same CA renewed, or a
    // collision) get .0, .1, ..., and OpenSSL tries them in that order.
    private static void WriteHashFile(string folder, X509Certificate2 certificate, string certificatePem)
    {
        string hash;
        try
        {
            hash = OpenSslSubjectHash.Compute(certificate);
        }
        catch (CryptographicException)
        {
            // A subject OpenSSL could not hash either; the certificate is still in trusted.pem.
            return;
        }

        for (int n = 0; ; n++)
        {
            string path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{hash}.{n}"));
            if (!File.Exists(path))
            {
                File.WriteAllText(path, certificatePem);
                return;
            }
        }
    }
}
