using System;
using System.DirectoryServices.Protocols;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace SmimeAdmin.Ldap;

/// <summary>
/// What StartTLS needs from libldap that System.DirectoryServices.Protocols does not do on Linux and macOS: the
/// server's URI on the connection's handle before <see cref="LdapSessionOptions.StartTransportLayerSecurity"/>, and a
/// check that TLS is in place afterwards.
/// </summary>
/// <remarks>
/// On Linux, LdapConnection gives libldap the server's URI (LDAP_OPT_URI) only when it first connects, inside Bind or
/// SendRequest. StartTransportLayerSecurity calls ldap_start_tls_s at once, on a handle that has no URI yet, so libldap
/// tries its default server (ldap://localhost:389, or LDAPURI from the environment) and the call fails with
/// "The LDAP server is unavailable" (https://github.com/dotnet/runtime/issues/96988). Setting the same URI first makes
/// ldap_start_tls_s connect to the right server; LdapConnection later sets it again, which keeps the connection.
/// The handle is private to LdapConnection (field _ldapHandle) and there is no public way to reach it, hence the
/// reflection; only -StartTls depends on it.
/// </remarks>
[UnsupportedOSPlatform("windows")]
internal static class LibLdap
{
    private const string HandleField = "_ldapHandle";
    private const int UriOption = 0x5006;
    private const int Success = 0;

    // The names System.DirectoryServices.Protocols itself loads libldap by; the first that loads is the same library.
    private static readonly string[] s_libraryNames = { "libldap.so.2", "libldap-2.6.so.0", "libldap-2.5.so.0", "libldap.dylib" };

    private static readonly Lazy<IntPtr> s_library = new(LoadLibrary);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetOptionString(IntPtr ld, int option, [MarshalAs(UnmanagedType.LPUTF8Str)] string value);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int TlsInPlace(IntPtr ld);

    /// <summary>Gives the connection's handle the URI it connects to; call before starting TLS.</summary>
    /// <exception cref="PlatformNotSupportedException">libldap or the connection's handle cannot be reached.</exception>
    public static void SetUri(LdapConnection connection, string uri)
    {
        var setOption = Marshal.GetDelegateForFunctionPointer<SetOptionString>(Export("ldap_set_option"));
        int result = WithHandle(connection, ld => setOption(ld, UriOption, uri));
        if (result != Success)
        {
            throw new PlatformNotSupportedException(
                string.Format(CultureInfo.CurrentCulture, Strings.LibLdapCallFailed, "ldap_set_option(LDAP_OPT_URI)", result));
        }
    }

    /// <summary>Whether the connection's default connection runs over TLS (libldap's ldap_tls_inplace).</summary>
    /// <exception cref="PlatformNotSupportedException">libldap or the connection's handle cannot be reached.</exception>
    public static bool IsTlsInPlace(LdapConnection connection)
    {
        var inPlace = Marshal.GetDelegateForFunctionPointer<TlsInPlace>(Export("ldap_tls_inplace"));
        return WithHandle(connection, ld => inPlace(ld)) != 0;
    }

    private static int WithHandle(LdapConnection connection, Func<IntPtr, int> call)
    {
        SafeHandle handle = GetHandle(connection);
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return call(handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static SafeHandle GetHandle(LdapConnection connection)
    {
        FieldInfo? field = typeof(LdapConnection).GetField(HandleField, BindingFlags.Instance | BindingFlags.NonPublic);
        if (field?.GetValue(connection) is SafeHandle { IsInvalid: false, IsClosed: false } handle)
        {
            return handle;
        }

        throw new PlatformNotSupportedException(string.Format(
            CultureInfo.CurrentCulture, Strings.LibLdapHandleNotFound, HandleField, typeof(LdapConnection).Assembly.GetName().Version));
    }

    private static IntPtr Export(string name)
    {
        if (NativeLibrary.TryGetExport(s_library.Value, name, out IntPtr export))
        {
            return export;
        }

        throw new PlatformNotSupportedException(string.Format(CultureInfo.CurrentCulture, Strings.LibLdapNotFound, name));
    }

    private static IntPtr LoadLibrary()
    {
        foreach (string name in s_libraryNames)
        {
            if (NativeLibrary.TryLoad(name, out IntPtr library))
            {
                return library;
            }
        }

        throw new PlatformNotSupportedException(string.Format(CultureInfo.CurrentCulture, Strings.LibLdapNotFound, "libldap"));
    }
}
