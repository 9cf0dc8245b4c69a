#Requires -Version 7.2
<#
.SYNOPSIS
    Measures SmimeAdmin's start-up cost and per-call latency and prints them against the speed targets.

.DESCRIPTION
    build.ps1 -Task Bench calls this in a child process with the staged manifest. Two parts:

      Start-up    child PowerShell processes, started in interleaved rounds: a bare `-Command 'exit'`, one that
                  imports the module, and one that imports it and runs a first Get-SmimeConfig. The cost of the
                  module is the median of the per-round differences against the bare start of the same round.
      In process  the module imported here, connected to a fresh temporary store; each single Get-SmimeConfig,
                  Set-SmimeConfig and Get-Date (the PowerShell per-call floor) is timed with a Stopwatch.

    Every figure is a median over many repetitions and every comparison is between figures of the same run, because
    the machines are small and noisy. Nothing is asserted: the script exits 0 whatever the figures are, and non-zero
    only when the benchmark itself cannot run. See bench/README.md for the targets and how to read the ratios.

.EXAMPLE
    dotnet pwsh -NoProfile -File ./build.ps1 -Task Bench

.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Invoke-Benchmark.ps1 -ModulePath ./out/SmimeAdmin/SmimeAdmin.psd1 -StartupRounds 5
#>
[CmdletBinding()]
param(
    # The staged manifest, out/SmimeAdmin/SmimeAdmin.psd1.
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # Rounds of child processes; each round starts one process of every kind.
    [ValidateRange(3, 200)]
    [int] $StartupRounds = 15,

    # Timed Get-SmimeConfig calls (each paired with one timed Get-Date call).
    [ValidateRange(20, 100000)]
    [int] $GetIterations = 500,

    # Timed Set-SmimeConfig calls.
    [ValidateRange(20, 100000)]
    [int] $SetIterations = 300,

    # Untimed calls of each cmdlet before the in-process measurements.
    [ValidateRange(0, 10000)]
    [int] $WarmupIterations = 50
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# Targets in milliseconds. Change them here and in bench/README.md together.
$Targets = @{
    ImportAdded = 150
    GetMedian   = 2
    SetMedian   = 10
}

$Invariant = [Globalization.CultureInfo]::InvariantCulture

Import-Module (Join-Path $PSScriptRoot '../tools/Pwsh.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'BenchmarkHelpers.psm1') -Force

function Invoke-ChildPwsh {
    # Starts one child PowerShell, waits for it and returns its wall-clock time in milliseconds.
    param([Parameter(Mandatory)] [string] $Command, [Parameter(Mandatory)] [string] $StorePath)
    $pwsh = @(Get-PwshCommand)
    $info = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
    foreach ($argument in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Command)) {
        $info.ArgumentList.Add($argument)
    }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    # A child that forgets to choose a store must not touch the user's own.
    $info.Environment['SMIMEADMIN_STORE'] = $StorePath
    # The update check and telemetry start background work whose timing varies from run to run.
    $info.Environment['POWERSHELL_UPDATECHECK'] = 'Off'
    $info.Environment['POWERSHELL_TELEMETRY_OPTOUT'] = '1'

    $stopwatch = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($info)
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $process.WaitForExit()
        $stopwatch.Stop()
        if ($process.ExitCode -ne 0) {
            # The child renders its error record with colour codes even into a pipe; strip them for a readable message.
            $output = ($stdout.Result + $stderr.Result) -replace '\x1b\[[0-9;]*[A-Za-z]', ''
            throw "A child PowerShell failed with exit code $($process.ExitCode) running: $Command`n$output"
        }
    } finally {
        $process.Dispose()
    }
    $stopwatch.Elapsed.TotalMilliseconds
}

function Measure-Startup {
    param([Parameter(Mandatory)] [string] $Manifest, [Parameter(Mandatory)] [string] $StorePath)
    $quoted = "'" + $Manifest.Replace("'", "''") + "'"
    # Without 'Stop' a failed import is a non-terminating error, `exit` returns 0, and a broken module looks fast.
    # Every kind sets it, so the bare start does the same work apart from the module.
    $stop = "`$ErrorActionPreference = 'Stop'"
    $kinds = [ordered]@{
        Bare      = "$stop; exit"
        Import    = "$stop; Import-Module $quoted; exit"
        # The store comes from SMIMEADMIN_STORE, so the first command after the import is Get-SmimeConfig itself.
        ImportGet = "$stop; Import-Module $quoted; `$null = Get-SmimeConfig; exit"
    }
    $names = @($kinds.Keys)

    # Untimed: fills the disk cache and makes the store's config file exist, as it would for a real user.
    Invoke-ChildPwsh -Command $kinds.Bare -StorePath $StorePath | Out-Null
    Invoke-ChildPwsh -Command "$stop; Import-Module $quoted; Set-SmimeConfig -OWACRLConnectionTimeout 30000; exit" -StorePath $StorePath | Out-Null

    $samples = @{}
    foreach ($name in $names) { $samples[$name] = [double[]]::new($StartupRounds) }
    for ($round = 0; $round -lt $StartupRounds; $round++) {
        # Rotating the order each round keeps a kind from always running first, or always after a particular one.
        for ($slot = 0; $slot -lt $names.Count; $slot++) {
            $name = $names[($round + $slot) % $names.Count]
            $samples[$name][$round] = Invoke-ChildPwsh -Command $kinds[$name] -StorePath $StorePath
        }
        Write-Host '.' -NoNewline
    }
    Write-Host ''

    $importAdded = [double[]]::new($StartupRounds)
    $importGetAdded = [double[]]::new($StartupRounds)
    $firstGet = [double[]]::new($StartupRounds)
    for ($round = 0; $round -lt $StartupRounds; $round++) {
        $importAdded[$round] = $samples.Import[$round] - $samples.Bare[$round]
        $importGetAdded[$round] = $samples.ImportGet[$round] - $samples.Bare[$round]
        $firstGet[$round] = $samples.ImportGet[$round] - $samples.Import[$round]
    }
    [pscustomobject]@{
        Bare           = $samples.Bare
        Import         = $samples.Import
        ImportGet      = $samples.ImportGet
        ImportAdded    = $importAdded
        ImportGetAdded = $importGetAdded
        FirstGet       = $firstGet
    }
}

function Measure-InProcess {
    param([Parameter(Mandatory)] [string] $Manifest, [Parameter(Mandatory)] [string] $StorePath)
    Import-Module $Manifest
    Connect-SmimeStore -Path $StorePath -Organization 'contoso.onmicrosoft.com'

    # Consecutive Set calls alternate between two values, so every call really writes (an unchanged value only warns).
    $setCount = 0
    for ($i = 0; $i -lt $WarmupIterations; $i++) {
        $null = Get-Date
        $null = Get-SmimeConfig
        Set-SmimeConfig -OWACRLConnectionTimeout (30000 + $setCount % 2)
        $setCount++
    }

    $stopwatch = [Diagnostics.Stopwatch]::new()
    $floor = [double[]]::new($GetIterations)
    $get = [double[]]::new($GetIterations)
    [GC]::Collect()
    [GC]::WaitForPendingFinalizers()
    for ($i = 0; $i -lt $GetIterations; $i++) {
        # Interleaved, so both series see the same machine noise.
        $stopwatch.Restart(); $null = Get-Date; $stopwatch.Stop()
        $floor[$i] = $stopwatch.Elapsed.TotalMilliseconds
        $stopwatch.Restart(); $null = Get-SmimeConfig; $stopwatch.Stop()
        $get[$i] = $stopwatch.Elapsed.TotalMilliseconds
    }

    $set = [double[]]::new($SetIterations)
    $auditBefore = @(Get-SmimeAuditLog).Count
    [GC]::Collect()
    [GC]::WaitForPendingFinalizers()
    for ($i = 0; $i -lt $SetIterations; $i++) {
        $value = [uint32] (30000 + $setCount % 2)
        $setCount++
        $stopwatch.Restart(); Set-SmimeConfig -OWACRLConnectionTimeout $value; $stopwatch.Stop()
        $set[$i] = $stopwatch.Elapsed.TotalMilliseconds
    }
    $written = @(Get-SmimeAuditLog).Count - $auditBefore
    if ($written -ne $SetIterations) {
        throw "Expected $SetIterations audited changes from the timed Set-SmimeConfig calls, found $written; the Set figures would not measure writes."
    }

    [pscustomobject]@{ Floor = $floor; Get = $get; Set = $set }
}

$manifest = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
if (Get-Module -Name SmimeAdmin) { throw 'SmimeAdmin is already loaded in this session; run the benchmark in a new process.' }

$totalTime = [Diagnostics.Stopwatch]::StartNew()
$version = (Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion
Write-Host "SmimeAdmin $version benchmark: PowerShell $($PSVersionTable.PSVersion), $([Runtime.InteropServices.RuntimeInformation]::OSDescription), $([Environment]::ProcessorCount) cores"
Write-Host "Module: $manifest"

$startupStore = New-TempFolder -Prefix 'smimeadmin-bench-startup'
$inProcessStore = New-TempFolder -Prefix 'smimeadmin-bench-inprocess'
$previousStore = $env:SMIMEADMIN_STORE
try {
    # Anything here that forgets to choose a store lands in a temporary folder, never the user's store.
    $env:SMIMEADMIN_STORE = $inProcessStore

    Write-Host "`nStart-up: $StartupRounds rounds of 3 child processes (bare, import, import + Get-SmimeConfig)"
    $startup = Measure-Startup -Manifest $manifest -StorePath $startupStore

    Write-Host "In process: $GetIterations Get-SmimeConfig and Get-Date calls, $SetIterations Set-SmimeConfig calls, after $WarmupIterations warm-up calls each"
    $inProcess = Measure-InProcess -Manifest $manifest -StorePath $inProcessStore

    $rows = @(
        New-Row -Measure 'pwsh start, bare' -Samples $startup.Bare
        New-Row -Measure 'pwsh start + Import-Module' -Samples $startup.Import
        New-Row -Measure 'pwsh start + Import + first Get-SmimeConfig' -Samples $startup.ImportGet
        New-Row -Measure 'Import-Module added to start' -Samples $startup.ImportAdded -Target $Targets.ImportAdded
        New-Row -Measure 'Import + first Get-SmimeConfig added' -Samples $startup.ImportGetAdded -Note 'info'
        # Single in-process calls take microseconds, so these rows keep three decimals.
        New-Row -Measure 'Get-Date call (per-call floor)' -Samples $inProcess.Floor -Format '0.000'
        New-Row -Measure 'Get-SmimeConfig call' -Samples $inProcess.Get -Target $Targets.GetMedian -Format '0.000'
        New-Row -Measure 'Set-SmimeConfig call (writes)' -Samples $inProcess.Set -Target $Targets.SetMedian -Format '0.000'
    )

    $floorMedian = Get-Percentile -Values $inProcess.Floor -Percent 50
    $getMedian = Get-Percentile -Values $inProcess.Get -Percent 50
    $setMedian = Get-Percentile -Values $inProcess.Set -Percent 50
    $firstGetMedian = Get-Percentile -Values $startup.FirstGet -Percent 50

    Write-Host "`nResults (medians; 'added' rows are medians of per-round differences against the bare start)"
    $rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    Write-Host 'Ratios within this run:'
    Write-Host "  Get-SmimeConfig / Get-Date floor:  $(Format-Number ($getMedian / $floorMedian))x"
    Write-Host "  Set-SmimeConfig / Get-SmimeConfig: $(Format-Number ($setMedian / $getMedian))x"
    Write-Host "  First Get-SmimeConfig in a new process (import + Get minus import): $(Format-Number $firstGetMedian) ms"
    Write-Host "`nRatio = median / target; at or below 1.00 meets the target. Informational only; nothing is asserted."
    Write-Host "Benchmark took $(Format-Number $totalTime.Elapsed.TotalSeconds '0.0') s."
} finally {
    $env:SMIMEADMIN_STORE = $previousStore
    foreach ($folder in $startupStore, $inProcessStore) {
        if (Test-Path -LiteralPath $folder) { Remove-Item -LiteralPath $folder -Recurse -Force }
    }
}
