using System;
using System.DirectoryServices.Protocols;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace SmimeAdmin.Ldap;

/// <summary>
/// The one libldap option System.DirectoryServices.Protocols does not expose on Linux and macOS: a CA file for one
/// connection (LDAP_OPT_X_TLS_CACERTFILE). Set on the connection's own handle, so other connections of the process
/// keep their trust.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class LibLdap
{
    private const int CaCertificateFileOption = 0x6002;
    private const int Success = 0;

    // The names System.DirectoryServices.Protocols itself loads libldap by; the first that loads is the same library.
    private static readonly string[] s_libraryNames = { "libldap.so.2", "libldap-2.6.so.0", "libldap-2.5.so.0", "libldap.dylib" };

    private static readonly Lazy<SetOptionString> s_setOption = new(LoadSetOption);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetOptionString(IntPtr ld, int option, [MarshalAs(UnmanagedType.LPUTF8Str)] string value);

    /// <summary>Makes <paramref name="path"/> the CA file the connection's TLS trusts; call before it connects.</summary>
    /// <exception cref="PlatformNotSupportedException">libldap or the connection's handle cannot be reached.</exception>
    public static void SetCaCertificateFile(LdapConnection connection, string path)
    {
        // The handle is private to LdapConnection; without it the option could only be set process-wide.
        FieldInfo field = typeof(LdapConnection).GetField("_ldapHandle", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new PlatformNotSupportedException("LdapConnection._ldapHandle");
        var handle = (SafeHandle)(field.GetValue(connection) ?? throw new PlatformNotSupportedException("LdapConnection._ldapHandle"));
        int result = s_setOption.Value(handle.DangerousGetHandle(), CaCertificateFileOption, path);
        if (result != Success)
        {
            throw new PlatformNotSupportedException("ldap_set_option(LDAP_OPT_X_TLS_CACERTFILE) returned " + result);
        }
    }

    private static SetOptionString LoadSetOption()
    {
        foreach (string name in s_libraryNames)
        {
            if (NativeLibrary.TryLoad(name, out IntPtr library) && NativeLibrary.TryGetExport(library, "ldap_set_option", out IntPtr export))
            {
                return Marshal.GetDelegateForFunctionPointer<SetOptionString>(export);
            }
        }

        throw new PlatformNotSupportedException("libldap (ldap_set_option) was not found.");
    }
}
