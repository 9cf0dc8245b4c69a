using System;
using System.Reflection;
using System.Runtime.ExceptionServices;
using SmimeAdmin.Core.Store;
using SmimeAdmin.Loader;

namespace SmimeAdmin;

/// <summary>
/// Opens the LDAP directory store, which lives in a .NET 8 assembly this netstandard2.0 module cannot reference:
/// it is loaded from <c>dependencies</c> into SmimeAdmin's load context and reached through its public Connect method.
/// </summary>
internal static class DirectoryStoreLoader
{
    private const string AssemblyName = "SmimeAdmin.Directory";
    private const string StoreTypeName = "SmimeAdmin.Ldap.LdapSmimeStore";
    private const string ConnectMethodName = "Connect";

    /// <summary>Connects to the directory.</summary>
    /// <exception cref="PlatformNotSupportedException">Windows PowerShell 5.1, which cannot load the directory store.</exception>
    /// <exception cref="SmimeStoreException">The directory refused or cannot be reached (see LdapSmimeStore.Connect).</exception>
    public static ISmimeStore Connect(LdapStoreOptions options)
    {
        if (!DependencyResolver.HasLoadContexts)
        {
            throw new PlatformNotSupportedException(Strings.DirectoryStoreNeedsPowerShell7);
        }

        Assembly assembly = DependencyResolver.LoadPrivate(AssemblyName);
        MethodInfo connect = assembly.GetType(StoreTypeName, throwOnError: true)!
            .GetMethod(ConnectMethodName, new[] { typeof(LdapStoreOptions), typeof(Func<DateTime>) })!;
        try
        {
            return (ISmimeStore)connect.Invoke(null, new object?[] { options, null })!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }
}
