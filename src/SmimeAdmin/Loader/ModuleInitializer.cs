using System.Management.Automation;

namespace SmimeAdmin.Loader;

/// <summary>Installs the dependency resolver when the module is imported and removes it when it is removed.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    /// <inheritdoc/>
    public void OnImport() => DependencyResolver.Register();

    /// <inheritdoc/>
    public void OnRemove(PSModuleInfo psModuleInfo) => DependencyResolver.Unregister();
}
