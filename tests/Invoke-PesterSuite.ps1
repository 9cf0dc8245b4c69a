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
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed } | ConvertTo-Json | Set-Content -Path $SummaryPath
exit ([int]($failed -gt 0))
