using System;
using System.Collections.Concurrent;
using System.IO;
using System.Reflection;

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
            return null;
        }

        return s_loaded.GetOrAdd(name!, _ => s_loadIntoContext.Value?.Invoke(path) ?? Assembly.LoadFrom(path));
    }

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
        return path => (Assembly)loadFromPath.Invoke(context, new object[] { path })!;
    }
}
