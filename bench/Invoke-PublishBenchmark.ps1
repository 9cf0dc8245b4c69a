#Requires -Version 7.2
<#
.SYNOPSIS
    Measures bulk publishing of users' certificates into the folder store: users per second, and peak memory at
    1,000 and at 10,000 users.

.DESCRIPTION
    Setup (not timed): an RSA-2048 root CA, an RSA-2048 intermediate CA and 10,000 user certificates from the
    intermediate, each written as a DER .cer file, and two CSV files (Identity, Path) of the first 1,000 and of all
    10,000 users.

    Each run is a fresh child PowerShell, so that its peak resident set size belongs to that run alone. The child
    imports the module, connects to a new store folder, sets the collection (root and intermediate) with CRL checking
    off, and then times

        Import-Csv users.csv | Publish-UserSmimeCertificate

    which validates every certificate for its user's address and writes userCertificate and userSMIMECertificate
    (two fsyncs per user). After the timing it checks that every user was published, and reports the peak resident
    set size (VmHWM on Linux, PeakWorkingSet64 elsewhere) after the setup and after publishing. Runs of the two sizes
    alternate, so both see the same machine noise.

    Nothing is asserted: the script exits 0 whatever the figures are, and non-zero only when the benchmark itself
    cannot run. See bench/README.md for the targets.

.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Invoke-PublishBenchmark.ps1 -ModulePath ./out/SmimeAdmin/SmimeAdmin.psd1
#>
[CmdletBinding()]
param(
    # The staged manifest, out/SmimeAdmin/SmimeAdmin.psd1.
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # Timed runs of each size.
    [ValidateRange(1, 20)]
    [int] $Iterations = 3,

    # Where the stores are written; the system's temporary folder when omitted. The rate depends on its fsync cost.
    [string] $WorkFolder
)

Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot '../tools/Pwsh.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'BenchmarkHelpers.psm1') -Force
$ErrorActionPreference = 'Stop'

# Targets. Change them here and in bench/README.md together.
$Targets = @{
    # Users published per second at 10,000 users: at least this many.
    UsersPerSecond = 500
    # Peak resident set size at 10,000 users divided by the peak at 1,000: at most this much ("flat").
    PeakGrowth = 1.25
}

$SmallCount = 1000
$LargeCount = 10000

# The child's script: arguments are the manifest, the store folder and the CSV file; prints one JSON line.
$ChildScript = @'
param($Manifest, $Store, $Csv, $Root, $Intermediate, $Count)
$ErrorActionPreference = 'Stop'
function Get-PeakMegabytes {
    if ($IsLinux) {
        $line = Select-String -Path /proc/self/status -Pattern '^VmHWM:\s+(\d+) kB' | Select-Object -First 1
        return [double] $line.Matches[0].Groups[1].Value / 1024
    }
    [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB
}
Import-Module $Manifest
Connect-SmimeStore -Path $Store -Organization 'bench'
Set-SmimeCertificateCollection -Path $Root, $Intermediate
Set-SmimeConfig -OWADisableCRLCheck $true
$setupPeak = Get-PeakMegabytes
[GC]::Collect()
$stopwatch = [Diagnostics.Stopwatch]::StartNew()
Import-Csv -LiteralPath $Csv | Publish-UserSmimeCertificate
$stopwatch.Stop()
$peak = Get-PeakMegabytes
$published = @(Get-ChildItem -LiteralPath (Join-Path $Store 'organizations/bench/recipients') -Recurse -Filter '*.json' -File).Count
$audited = @(Get-SmimeAuditLog -Property 'userSMIMECertificate').Count
if ($audited -ne [int] $Count) { throw "Expected $Count published users in the audit log, found $audited ($published recipient files)." }
[pscustomobject]@{ Milliseconds = $stopwatch.Elapsed.TotalMilliseconds; SetupPeakMb = $setupPeak; PeakMb = $peak } | ConvertTo-Json -Compress
'@

function Invoke-PublishRun {
    # One child PowerShell publishing the users of one CSV file into a new store; returns its figures.
    param([Parameter(Mandatory)] [string] $Csv, [Parameter(Mandatory)] [int] $Count, [Parameter(Mandatory)] [string] $Work)
    $store = Join-Path $Work "store-$([guid]::NewGuid().ToString('N'))"
    $scriptPath = Join-Path $Work 'publish-run.ps1'
    if (-not (Test-Path -LiteralPath $scriptPath)) { Set-Content -LiteralPath $scriptPath -Value $ChildScript }
    $pwsh = @(Get-PwshCommand)
    $info = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $scriptPath,
        $manifest, $store, $Csv, (Join-Path $Work 'root.pem'), (Join-Path $Work 'intermediate.pem'), "$Count")
    foreach ($argument in $arguments) { $info.ArgumentList.Add($argument) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $process = [Diagnostics.Process]::Start($info)
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $process.WaitForExit()
        if ($process.ExitCode -ne 0) { throw "The publishing run of $Count users failed ($($process.ExitCode)):`n$($stderr.Result)`n$($stdout.Result)" }
        $stdout.Result.Trim().Split("`n")[-1] | ConvertFrom-Json
    } finally {
        $process.Dispose()
        if (Test-Path -LiteralPath $store) { Remove-Item -LiteralPath $store -Recurse -Force }
    }
}

$manifest = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$totalTime = [Diagnostics.Stopwatch]::StartNew()
$version = (Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion
Write-Host "SmimeAdmin $version publishing benchmark: PowerShell $($PSVersionTable.PSVersion), $([Runtime.InteropServices.RuntimeInformation]::OSDescription), $([Environment]::ProcessorCount) cores"
Write-Host "Module: $manifest"

$work = if ($WorkFolder) { (New-Item -ItemType Directory -Force -Path (Join-Path $WorkFolder "smimeadmin-bench-publish-$([guid]::NewGuid().ToString('N'))")).FullName }
else { New-TempFolder -Prefix 'smimeadmin-bench-publish' }
$pki = $null
try {
    Write-Host "Setup: generating a root CA, an intermediate CA and $(Format-Number $LargeCount 'N0') user certificates, RSA-2048, with CSV files (not timed)"
    $setup = [Diagnostics.Stopwatch]::StartNew()
    $pki = New-Pki -Count $LargeCount -Label Publish
    Write-Pem -Path (Join-Path $work 'root.pem') -Certificate $pki.Root
    Write-Pem -Path (Join-Path $work 'intermediate.pem') -Certificate $pki.Intermediate
    $userFolder = Join-Path $work 'users'
    $null = New-Item -ItemType Directory -Path $userFolder
    $rows = [Collections.Generic.List[string]]::new()
    $rows.Add('Identity,Path')
    for ($n = 1; $n -le $LargeCount; $n++) {
        $file = Join-Path $userFolder "user$n.cer"
        [IO.File]::WriteAllBytes($file, $pki.Users[$n - 1].RawData)
        $rows.Add("user$n@bench.example,$file")
    }
    $smallCsv = Join-Path $work 'users-1000.csv'
    $largeCsv = Join-Path $work 'users-10000.csv'
    Set-Content -LiteralPath $smallCsv -Value $rows.GetRange(0, $SmallCount + 1)
    Set-Content -LiteralPath $largeCsv -Value $rows
    Write-Host "  done in $(Format-Number $setup.Elapsed.TotalSeconds '0.0') s; stores are written under $work"

    Write-Host "Runs: $Iterations of each size, each in a new process with a new store"
    $small = [Collections.Generic.List[object]]::new()
    $large = [Collections.Generic.List[object]]::new()
    for ($i = 0; $i -lt $Iterations; $i++) {
        $small.Add((Invoke-PublishRun -Csv $smallCsv -Count $SmallCount -Work $work))
        $large.Add((Invoke-PublishRun -Csv $largeCsv -Count $LargeCount -Work $work))
        Write-Host '.' -NoNewline
    }
    Write-Host ''

    $smallSamples = [double[]] @($small.Milliseconds)
    $largeSamples = [double[]] @($large.Milliseconds)
    $smallRate = Get-Rate -Count $SmallCount -Samples $smallSamples
    $largeRate = Get-Rate -Count $LargeCount -Samples $largeSamples
    $smallPeak = Get-Percentile -Values ([double[]] @($small.PeakMb)) -Percent 50
    $largePeak = Get-Percentile -Values ([double[]] @($large.PeakMb)) -Percent 50
    $setupPeak = Get-Percentile -Values ([double[]] @($small.SetupPeakMb) + @($large.SetupPeakMb)) -Percent 50
    $smallText = Format-Number $SmallCount 'N0'
    $largeText = Format-Number $LargeCount 'N0'

    $table = [Collections.Generic.List[object]]::new()
    $table.Add((Add-Rate (New-Row -Measure "Publish $smallText users" -Samples $smallSamples -Note 'info') $smallRate -Column 'Users/s'))
    $table.Add((Add-Rate (New-Row -Measure "Publish $largeText users" -Samples $largeSamples -Note 'info') $largeRate -Column 'Users/s'))
    $table.Add((Add-Rate (New-LimitRow -Measure "Rate at $largeText / $($Targets.UsersPerSecond) users/s" -Value ($largeRate / $Targets.UsersPerSecond) -Target 1) -Column 'Users/s'))
    $table.Add((Add-Rate (New-Row -Measure "Rate $largeText / rate $smallText" -Value ($largeRate / $smallRate) -Note 'info') -Column 'Users/s'))
    $table.Add((Add-Rate (New-LimitRow -AtMost -Measure "Peak RSS $largeText / peak RSS $smallText" -Value ($largePeak / $smallPeak) -Target $Targets.PeakGrowth) -Column 'Users/s'))

    Write-Host "`nResults (medians; ratio rows show the measured ratio in the Median column)"
    $table | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    Write-Host 'Within this run:'
    Write-Host "  publishing rate: $(Format-Number $smallRate 'N0') users/s at $smallText, $(Format-Number $largeRate 'N0') users/s at $largeText (target >= $($Targets.UsersPerSecond))"
    Write-Host "  peak RSS: $(Format-Number $setupPeak '0') MB after the setup, $(Format-Number $smallPeak '0') MB at $smallText users, $(Format-Number $largePeak '0') MB at $largeText users ($(Format-Number ($largePeak / $smallPeak))x; target <= $(Format-Number $Targets.PeakGrowth)x)"
    Write-Host "`nInformational only; nothing is asserted."
    Write-Host "Benchmark took $(Format-Number $totalTime.Elapsed.TotalSeconds '0.0') s."
} finally {
    if ($pki) {
        $pki.Root.Dispose()
        $pki.Intermediate.Dispose()
        foreach ($certificate in $pki.Users) { if ($certificate) { $certificate.Dispose() } }
    }
    if (Test-Path -LiteralPath $work) { Remove-Item -LiteralPath $work -Recurse -Force }
}
