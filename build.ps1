#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, stages, tests and demonstrates the SmimeAdmin module.

.DESCRIPTION
    Tasks (run in the order given):
      Clean  removes out/ and the projects' bin/ and obj/ folders.
      Docs   compiles docs/<Verb-Noun>.md and docs/about_*.md into en-US/: with platyPS's New-ExternalHelp when the
             platyPS module is installed, else with tools/HelpCompiler (a build-time tool, never staged).
      Build  runs Docs, publishes the cmdlet assembly and stages a loadable module in out/SmimeAdmin.
      Test   runs Build, every xunit project (tests/*/*.Tests.csproj) and the Pester tests; the last line printed is
             "<N> passed, <M> failed" and the script exits non-zero on any failure.
      Demo   runs Build, then configures an example organization in a fresh embedded store and shows it.
      Bench  runs Build, then every bench/Invoke-*Benchmark.ps1 (figures and ratios; nothing is asserted).

.EXAMPLE
    dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Docs', 'Build', 'Test', 'Demo', 'Bench')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$RepoRoot = $PSScriptRoot
$OutRoot = Join-Path $RepoRoot 'out'
$ModuleFolder = Join-Path $OutRoot 'SmimeAdmin'
$PublishFolder = Join-Path $OutRoot 'publish'
$TestResultsFolder = Join-Path $OutRoot 'test-results'
$DocsFolder = Join-Path $RepoRoot 'docs'
$HelpFolder = Join-Path $RepoRoot 'en-US'

# Exact versions, pinned here and in tools/TestTools/TestTools.csproj.
$PesterVersion = '6.2.0'

# Everything the staged module may contain besides SmimeAdmin.dll. A DLL in the publish output that is not listed
# here fails the build: it means a new transitive dependency that needs a look (and a line in ThirdPartyNotices).
$PrivateDependencies = @(
    'SmimeAdmin.Core.dll'
    'BouncyCastle.Cryptography.dll'
    # System.Text.Json and its netstandard2.0 closure; PowerShell 7 already carries newer copies and uses those.
    'Microsoft.Bcl.AsyncInterfaces.dll'
    'System.Buffers.dll'
    'System.IO.Pipelines.dll'
    'System.Memory.dll'
    'System.Numerics.Vectors.dll'
    'System.Runtime.CompilerServices.Unsafe.dll'
    'System.Text.Encodings.Web.dll'
    'System.Text.Json.dll'
    'System.Threading.Tasks.Extensions.dll'
    # MimeKit and its netstandard2.0 closure; PowerShell 7 carries its own copies of the System ones and uses those.
    'MimeKit.dll'
    'Microsoft.Bcl.Cryptography.dll'
    'System.Data.DataSetExtensions.dll'
    'System.Formats.Asn1.dll'
    'System.Security.Cryptography.Cng.dll'
    'System.Security.Cryptography.Pkcs.dll'
    'System.Text.Encoding.CodePages.dll'
)

# The directory store (net8.0, loaded on PowerShell 7 only) and its LDAP client, staged from their own publish. The
# client's platform builds go under dependencies/runtimes/<os>/ (its lib/ build only throws PlatformNotSupported);
# the loader takes the one for the running OS when the host's own copy is older or missing. Everything else that
# project publishes must already be in $PrivateDependencies.
$DirectoryDependencies = @(
    'SmimeAdmin.Directory.dll'
    'runtimes/linux/lib/net8.0/System.DirectoryServices.Protocols.dll'
    'runtimes/osx/lib/net8.0/System.DirectoryServices.Protocols.dll'
    'runtimes/win/lib/net8.0/System.DirectoryServices.Protocols.dll'
)
$DirectoryPublishOnly = @('System.DirectoryServices.Protocols.dll')

function Invoke-Native {
    # Runs a native command line and stops the build on a non-zero exit code.
    param([Parameter(Mandatory)] [scriptblock] $Command)
    & $Command | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "'$Command' failed with exit code $LASTEXITCODE."
    }
}

function Get-ModuleVersion {
    [xml] $props = Get-Content -Raw (Join-Path $RepoRoot 'Directory.Build.props')
    $version = $props.Project.PropertyGroup.ModuleVersion | Where-Object { $_ } | Select-Object -First 1
    if (-not $version) { throw 'Directory.Build.props has no ModuleVersion.' }
    $version
}

Import-Module (Join-Path $PSScriptRoot 'tools/Pwsh.psm1') -Force

function Invoke-Pwsh {
    # Runs a script file in a child PowerShell; a binary module cannot be unloaded, so tests and demos never run in
    # the build's own process.
    param([Parameter(Mandatory)] [string] $File, [string[]] $Arguments = @())
    $pwsh = Get-PwshCommand
    $launcher = $pwsh[0]
    $prefix = @($pwsh | Select-Object -Skip 1)
    & $launcher @prefix -NoProfile -NonInteractive -File $File @Arguments | Out-Host
    $LASTEXITCODE
}

function Invoke-Clean {
    foreach ($folder in @($OutRoot) + (Get-ChildItem -Path (Join-Path $RepoRoot 'src'), (Join-Path $RepoRoot 'tests'), (Join-Path $RepoRoot 'tools') -Directory -Recurse -Include bin, obj).FullName) {
        if ($folder -and (Test-Path $folder)) { Remove-Item -Recurse -Force $folder }
    }
}

function Invoke-Docs {
    # Cmdlet pages are docs/Verb-Noun.md; other markdown in docs/ (store-format.md, ...) is not help.
    $pages = @(Get-ChildItem -Path $DocsFolder -Filter '*.md' | Where-Object Name -CMatch '^[A-Z][A-Za-z]*-[A-Z][A-Za-z0-9]*\.md$')
    $topics = @(Get-ChildItem -Path $DocsFolder -Filter 'about_*.md')
    if (-not $pages) {
        # Leaves en-US/ as it is; Help.Tests.ps1 still fails on every cmdlet without a page.
        Write-Warning "No cmdlet pages (Verb-Noun.md) in $DocsFolder; en-US/ was not compiled."
        return
    }
    if (Get-Module -ListAvailable -Name platyPS) {
        # PlatyPS comes from no package registry here; when someone has it installed, it is the reference compiler.
        Import-Module platyPS
        New-ExternalHelp -Path ($pages + $topics).FullName -OutputPath $HelpFolder -Force | Out-Null
        Write-Host "Compiled $($pages.Count) cmdlet pages and $($topics.Count) about topics with platyPS into $HelpFolder"
    }
    else {
        Invoke-Native { dotnet run --project (Join-Path $RepoRoot 'tools/HelpCompiler/HelpCompiler.csproj') -c $Configuration -v quiet -- $DocsFolder $HelpFolder }
    }
}

function Invoke-Build {
    Invoke-Docs
    $version = Get-ModuleVersion
    if (Test-Path $PublishFolder) { Remove-Item -Recurse -Force $PublishFolder }
    Invoke-Native { dotnet publish (Join-Path $RepoRoot 'src/SmimeAdmin/SmimeAdmin.csproj') -c $Configuration -o $PublishFolder --nologo -v quiet }

    if (Test-Path $ModuleFolder) { Remove-Item -Recurse -Force $ModuleFolder }
    $dependencyFolder = Join-Path $ModuleFolder 'dependencies'
    New-Item -ItemType Directory -Force -Path $dependencyFolder | Out-Null

    $published = Get-ChildItem -Path $PublishFolder -Filter '*.dll' | Select-Object -ExpandProperty Name
    $unexpected = $published | Where-Object { $_ -ne 'SmimeAdmin.dll' -and $_ -notin $PrivateDependencies }
    if ($unexpected) { throw "Unexpected assemblies in the publish output (add them to `$PrivateDependencies after review): $($unexpected -join ', ')" }
    $missing = @('SmimeAdmin.dll') + $PrivateDependencies | Where-Object { $_ -notin $published }
    if ($missing) { throw "Assemblies missing from the publish output: $($missing -join ', ')" }

    Copy-Item (Join-Path $PublishFolder 'SmimeAdmin.dll') $ModuleFolder
    foreach ($dependency in $PrivateDependencies) { Copy-Item (Join-Path $PublishFolder $dependency) $dependencyFolder }
    Publish-DirectoryStore -DependencyFolder $dependencyFolder
    Copy-Item (Join-Path $RepoRoot 'src/SmimeAdmin/SmimeAdmin.format.ps1xml') $ModuleFolder
    Copy-Item $HelpFolder $ModuleFolder -Recurse
    foreach ($file in 'LICENSE', 'ThirdPartyNotices.txt') { Copy-Item (Join-Path $RepoRoot $file) $ModuleFolder }
    Copy-Item (Join-Path $RepoRoot 'examples') $ModuleFolder -Recurse

    $manifest = (Get-Content -Raw (Join-Path $RepoRoot 'SmimeAdmin.psd1')).Replace('{{ModuleVersion}}', $version)
    Set-Content -Path (Join-Path $ModuleFolder 'SmimeAdmin.psd1') -Value $manifest -Encoding utf8NoBOM
    Write-Host "Staged SmimeAdmin $version in $ModuleFolder"
}

function Publish-DirectoryStore {
    param([Parameter(Mandatory)] [string] $DependencyFolder)
    $folder = Join-Path $OutRoot 'publish-directory'
    if (Test-Path $folder) { Remove-Item -Recurse -Force $folder }
    Invoke-Native { dotnet publish (Join-Path $RepoRoot 'src/SmimeAdmin.Directory/SmimeAdmin.Directory.csproj') -c $Configuration -o $folder --nologo -v quiet }
    $published = Get-ChildItem -Path $folder -Filter '*.dll' -Recurse |
        ForEach-Object { [System.IO.Path]::GetRelativePath($folder, $_.FullName).Replace('\', '/') }
    $unexpected = $published | Where-Object {
        # Core's closure (also in the cmdlets' publish, staged from there) is recognised by file name.
        $_ -notin $DirectoryDependencies -and $_ -notin $DirectoryPublishOnly -and ($_ -split '/')[-1] -notin $PrivateDependencies }
    if ($unexpected) { throw "Unexpected assemblies in the directory store's publish output (add them to `$DirectoryDependencies after review): $($unexpected -join ', ')" }
    foreach ($dependency in $DirectoryDependencies) {
        $source = Join-Path $folder $dependency
        if (-not (Test-Path $source)) { throw "Missing from the directory store's publish output: $dependency" }
        # runtimes/<os>/lib/net8.0/X.dll is staged as dependencies/runtimes/<os>/X.dll.
        $target = if ($dependency -like 'runtimes/*') {
            $os = $dependency.Split('/')[1]
            Join-Path $DependencyFolder "runtimes/$os"
        } else { $DependencyFolder }
        New-Item -ItemType Directory -Force -Path $target | Out-Null
        Copy-Item $source $target
    }
}

function Get-PesterModulePath {
    Invoke-Native { dotnet restore (Join-Path $RepoRoot 'tools/TestTools/TestTools.csproj') --nologo -v quiet }
    $globalPackages = ((dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    # The tests find the other packages tools/TestTools restores (an older BouncyCastle) here.
    $env:SMIMEADMIN_TEST_PACKAGES = $globalPackages
    $path = Join-Path $globalPackages "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $path)) { throw "Pester $PesterVersion was not restored to $path." }
    $path
}

function Invoke-XunitTests {
    # Every xunit project, each into its own trx; the counters of all of them are summed.
    $total = [pscustomobject]@{ Passed = 0; Failed = 0 }
    $projects = @(Get-ChildItem -Path (Join-Path $RepoRoot 'tests/*/*.Tests.csproj') | Sort-Object Name)
    if (-not $projects) { throw 'No xunit projects (tests/*/*.Tests.csproj).' }
    foreach ($project in $projects) {
        $trxName = "$($project.BaseName).trx"
        $trx = Join-Path $TestResultsFolder $trxName
        if (Test-Path $trx) { Remove-Item $trx }
        dotnet test $project.FullName -c $Configuration --nologo `
            --logger 'console;verbosity=minimal' --logger "trx;LogFileName=$trxName" --results-directory $TestResultsFolder | Out-Host
        if (-not (Test-Path $trx)) {
            Write-Host "$($project.BaseName) produced no results (the test project failed to build or start)." -ForegroundColor Red
            $total.Failed += 1
            continue
        }
        $counters = ([xml] (Get-Content -Raw $trx)).TestRun.ResultSummary.Counters
        $total.Passed += [int] $counters.passed
        $total.Failed += [int] $counters.failed + [int] $counters.error + [int] $counters.timeout
    }
    $total
}

function Invoke-PesterTests {
    $summary = Join-Path $TestResultsFolder 'pester-summary.json'
    if (Test-Path $summary) { Remove-Item $summary }
    $exitCode = Invoke-Pwsh -File (Join-Path $RepoRoot 'tests/Invoke-PesterSuite.ps1') -Arguments @(
        '-PesterPath', (Get-PesterModulePath), '-ModulePath', (Join-Path $ModuleFolder 'SmimeAdmin.psd1'),
        '-ResultsFolder', $TestResultsFolder, '-SummaryPath', $summary)
    if (-not (Test-Path $summary)) {
        Write-Host "Pester produced no summary (exit code $exitCode)." -ForegroundColor Red
        return [pscustomobject]@{ Passed = 0; Failed = 1 }
    }
    Get-Content -Raw $summary | ConvertFrom-Json
}

function Start-TestDirectory {
    # A throwaway slapd for the directory store's tests; they fail (never skip) without it, and CI says so up front.
    Import-Module (Join-Path $RepoRoot 'tests/TestSlapd.psm1') -Force
    if (-not (Test-SlapdInstalled)) {
        $message = "slapd and ldap-utils are not installed (apt-get install -y slapd ldap-utils): the directory store's tests cannot run."
        if ($env:CI -eq 'true') { throw $message }
        Write-Warning "$message They will fail."
        return $null
    }
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ("smimeadmin-slapd-" + [guid]::NewGuid().ToString('N'))
    $server = Start-TestSlapd -Folder $folder -Port (Get-TestLdapFreePort)
    $env:SMIMEADMIN_TEST_LDAP_URI = $server.Uri
    $env:SMIMEADMIN_TEST_LDAP_BASEDN = $server.BaseDn
    $env:SMIMEADMIN_TEST_LDAP_BINDDN = $server.AdminDn
    $env:SMIMEADMIN_TEST_LDAP_PASSWORD = $server.Password
    Write-Host "Started slapd for the tests at $($server.Uri) ($folder)"
    $server
}

function Stop-TestDirectory {
    param($Server)
    if (-not $Server) { return }
    Stop-TestSlapd $Server
    Remove-Item -Recurse -Force $Server.Folder -ErrorAction Ignore
    foreach ($name in 'URI', 'BASEDN', 'BINDDN', 'PASSWORD') { Remove-Item "env:SMIMEADMIN_TEST_LDAP_$name" -ErrorAction Ignore }
}

function Invoke-Test {
    Invoke-Build
    New-Item -ItemType Directory -Force -Path $TestResultsFolder | Out-Null
    $directory = $null
    try {
        $directory = Start-TestDirectory
        $xunit = Invoke-XunitTests
        $pester = Invoke-PesterTests
    }
    finally {
        # Also when a test run throws or is interrupted: no slapd outlives the build.
        Stop-TestDirectory $directory
    }
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed"
    Write-Host "Pester: $($pester.Passed) passed, $($pester.Failed) failed"
    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    # The closing line CI reads; nothing may be printed after it.
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    $exitCode = Invoke-Pwsh -File (Join-Path $RepoRoot 'tools/Demo.ps1') -Arguments @(
        '-ModulePath', (Join-Path $ModuleFolder 'SmimeAdmin.psd1'), '-StorePath', (Join-Path $OutRoot 'demo-store'))
    if ($exitCode -ne 0) { throw "The demo failed with exit code $exitCode." }
}

function Invoke-Bench {
    Invoke-Build
    foreach ($script in Get-ChildItem (Join-Path $RepoRoot 'bench') -Filter 'Invoke-*Benchmark.ps1' | Sort-Object Name) {
        Write-Host "`n== $($script.Name)" -ForegroundColor Cyan
        $exitCode = Invoke-Pwsh -File $script.FullName -Arguments @('-ModulePath', (Join-Path $ModuleFolder 'SmimeAdmin.psd1'))
        if ($exitCode -ne 0) { throw "$($script.Name) failed with exit code $exitCode." }
    }
}

foreach ($name in $Task) {
    & "Invoke-$name"
}
