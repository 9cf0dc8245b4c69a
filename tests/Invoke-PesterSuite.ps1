<#
.SYNOPSIS
    Runs every tests/*.Tests.ps1 file with Pester against the staged module and writes a pass/fail summary.
    build.ps1 -Task Test calls this in a child process.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultsFolder,
    [Parameter(Mandatory)] [string] $SummaryPath
)

$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
$ResultsFolder = (New-Item -ItemType Directory -Force -Path $ResultsFolder).FullName
Import-Module $PesterPath -Force

# Tests read the staged module's path from here; they never import bin/ output.
$env:SMIMEADMIN_TEST_MODULE = $ModulePath
# No test may touch the user's own store: anything that forgets to choose a store lands in the results folder.
$env:SMIMEADMIN_STORE = Join-Path $ResultsFolder 'unexpected-store'

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnit3'
$configuration.TestResult.OutputPath = Join-Path $ResultsFolder 'pester.xml'

$result = Invoke-Pester -Configuration $configuration
$passed = $result.PassedCount
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount

# The files whose tests take their store from Connect-TestStore (or Connect-MessageTestStore, which calls it) run a
# second time against the directory store (the slapd build.ps1 started). Without that server they fail here, as the
# xunit tests do: the pass is never skipped.
$storeAgnostic = @(Get-ChildItem -Path $PSScriptRoot -Filter '*.Tests.ps1' | Where-Object { Select-String -Path $_.FullName -Pattern 'Connect-(Message)?TestStore' -Quiet })
if ($storeAgnostic) {
    $env:SMIMEADMIN_TEST_STORE = 'Ldap'
    try {
        $ldapConfiguration = New-PesterConfiguration
        $ldapConfiguration.Run.Path = $storeAgnostic.FullName
        $ldapConfiguration.Run.PassThru = $true
        $ldapConfiguration.Output.Verbosity = 'Normal'
        $ldapConfiguration.TestResult.Enabled = $true
        $ldapConfiguration.TestResult.OutputFormat = 'NUnit3'
        $ldapConfiguration.TestResult.OutputPath = Join-Path $ResultsFolder 'pester-ldap.xml'
        Write-Host "`nThe same tests against the LDAP directory store ($($storeAgnostic.Count) files)" -ForegroundColor Cyan
        $ldapResult = Invoke-Pester -Configuration $ldapConfiguration
        $passed += $ldapResult.PassedCount
        $failed += $ldapResult.FailedCount + $ldapResult.FailedBlocksCount + $ldapResult.FailedContainersCount
    }
    finally {
        Remove-Item env:SMIMEADMIN_TEST_STORE -ErrorAction Ignore
    }
}

[pscustomobject]@{ Passed = $passed; Failed = $failed } | ConvertTo-Json | Set-Content -Path $SummaryPath
exit ([int]($failed -gt 0))
