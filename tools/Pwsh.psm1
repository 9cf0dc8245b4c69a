# How to start another PowerShell like the running one; shared by build.ps1, the tests and the benchmark.

function Get-PwshCommand {
    # The local dotnet tool runs pwsh.dll under the dotnet host, so the command is that host plus pwsh.dll.
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, (Join-Path $PSHOME 'pwsh.dll'))
    }
    @($process)
}

Export-ModuleMember -Function Get-PwshCommand
