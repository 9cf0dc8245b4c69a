using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace SmimeAdmin.Loader;

/// <summary>
/// Loads SmimeAdmin's private dependencies from the module's <c>dependencies</c> folder, where default probing
/// cannot find them. On PowerShell 7 they go into one load context of their own, so another module's copy of the
/// same library neither blocks nor replaces ours; on Windows PowerShell 5.1 they are loaded from their path.
/// </summary>
internal static class DependencyResolver
{
    private const string DependencyFolderName = "dependencies";

    private static readonly string s_moduleFolder =
        Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location) ?? string.Empty;

    private static readonly string s_dependencyFolder = Path.Combine(s_moduleFolder, DependencyFolderName);

    private static readonly ConcurrentDictionary<string, Assembly> s_loaded = new(StringComparer.OrdinalIgnoreCase);

    // netstandard2.0 cannot name AssemblyLoadContext, so it is reached by reflection; it is absent on .NET Framework.
    private static readonly Lazy<Func<string, Assembly>?> s_loadIntoContext = new(CreateLoadContext);

    public static void Register() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

    /// <summary>Whether the host can load the .NET 8 directory store (PowerShell 7.4 or later, not Windows PowerShell).</summary>
    public static bool HasLoadContexts => s_loadIntoContext.Value is not null;

    /// <summary>Loads a private assembly from <c>dependencies</c> into SmimeAdmin's load context.</summary>
    /// <exception cref="PlatformNotSupportedException">The host has no load contexts (Windows PowerShell).</exception>
    /// <exception cref="FileNotFoundException">The module was staged without the assembly.</exception>
    public static Assembly LoadPrivate(string name)
    {
        Func<string, Assembly> loadIntoContext = s_loadIntoContext.Value ?? throw new PlatformNotSupportedException();
        string path = Path.Combine(s_dependencyFolder, name + ".dll");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(path, path);
        }

        return s_loaded.GetOrAdd(name, _ => loadIntoContext(path));
    }

    public static void Unregister() => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        // Answer only our own assemblies' requests. The requester is null on .NET Framework for some loads.
        if (args.RequestingAssembly is Assembly requester && !IsOurs(requester))
        {
            return null;
        }

        string? name = new AssemblyName(args.Name).Name;
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        string path = Path.Combine(s_dependencyFolder, name + ".dll");
        if (!File.Exists(path))
        {
            // A library with a build per OS (the LDAP client) is staged in runtimes/<os>/; it is asked for only when
            // the host carries no copy of it, or an older one.
            path = Path.Combine(s_dependencyFolder, "runtimes", CurrentOs(), name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }
        }

        // The first use creates the context and loads the private libraries into it, so read it before the lookup.
        Func<string, Assembly>? loadIntoContext = s_loadIntoContext.Value;
        return s_loaded.GetOrAdd(name!, _ => loadIntoContext?.Invoke(path) ?? Assembly.LoadFrom(path));
    }

    private static string CurrentOs() =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
        : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
        : "linux";

    private static bool IsOurs(Assembly assembly)
    {
        if (assembly == typeof(DependencyResolver).Assembly)
        {
            return true;
        }

        string location = assembly.IsDynamic ? string.Empty : assembly.Location;
        return location.StartsWith(s_dependencyFolder + Path.DirectorySeparatorChar, StringComparison.OrdinalIgnoreCase);
    }

    private static Func<string, Assembly>? CreateLoadContext()
    {
        Type? contextType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext");
        if (contextType is null)
        {
            return null;
        }

        object context = Activator.CreateInstance(contextType, "SmimeAdmin", false)!;
        MethodInfo loadFromPath = contextType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) })!;
        Func<string, Assembly> load = path => (Assembly)loadFromPath.Invoke(context, new object[] { path })!;

        // A context made without subclassing asks the default context before its own resolver, so a library another
        // module already loaded there (an older BouncyCastle, say) would win. Loading our private libraries into the
        // context up front puts them first. Libraries the runtime itself carries are left to the default context.
        var platform = new HashSet<string>(
            ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? string.Empty)
                .Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries)
                .Select(Path.GetFileName),
            StringComparer.OrdinalIgnoreCase);
        foreach (string path in Directory.EnumerateFiles(s_dependencyFolder, "*.dll"))
        {
            if (!platform.Contains(Path.GetFileName(path)))
            {
                s_loaded.TryAdd(Path.GetFileNameWithoutExtension(path), load(path));
            }
        }

        return load;
    }
}
