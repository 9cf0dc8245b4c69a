#Requires -Version 7.2
<#
.SYNOPSIS
    Measures how many user certificates per second Test-SmimeCertificate validates, against `openssl verify` checking
    the same certificates.

.DESCRIPTION
    Three parts, all in one run, on a generated PKI (an RSA-2048 root CA, an RSA-2048 intermediate CA, and 10,000
    user certificates issued by the intermediate that share one RSA-2048 key):

      In process  `$certs | Test-SmimeCertificate -Usage Both` with 1,000 and with 10,000 X509Certificate2 objects,
                  against a collection of the root and the intermediate, with CRL checking off.
      openssl     `openssl verify -CAfile <root.pem> -untrusted <intermediate.pem> <files...>` on the same 10,000
                  certificates as PEM files, in batches of -BatchSize files per process, timed for the whole set;
                  and `openssl verify -partial_chain -CAfile <root + intermediate.pem> <files...>` the same way.
      Ratio       the in-process rate divided by the openssl rate, in certificates per second.

    Generating the PKI is setup and is not timed. Every figure is a median over repetitions and every comparison is
    between figures of the same run. Nothing is asserted: the script exits 0 whatever the figures are, and non-zero
    only when the benchmark itself cannot run (for example when a certificate does not validate, or openssl does not
    print OK for every file). See bench/README.md for the targets and how to read the ratios.

.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Invoke-ValidationBenchmark.ps1 -ModulePath ./out/SmimeAdmin/SmimeAdmin.psd1

.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Invoke-ValidationBenchmark.ps1 -ModulePath ./out/SmimeAdmin/SmimeAdmin.psd1 -Iterations 9
#>
[CmdletBinding()]
param(
    # The staged manifest, out/SmimeAdmin/SmimeAdmin.psd1.
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # Timed in-process validations of each size (1,000 and 10,000 certificates).
    [ValidateRange(1, 100)]
    [int] $Iterations = 5,

    # Rounds of openssl verify over all certificates; each round runs both kinds once.
    [ValidateRange(1, 50)]
    [int] $OpensslRounds = 3,

    # Certificate files per openssl verify process.
    [ValidateRange(1, 5000)]
    [int] $BatchSize = 1000,

    # Untimed in-process validations of the small set, and untimed openssl rounds, before the timing starts.
    [ValidateRange(0, 20)]
    [int] $WarmupIterations = 1
)

Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot 'BenchmarkHelpers.psm1') -Force
$ErrorActionPreference = 'Stop'

# Targets. Change them here and in bench/README.md together.
$Targets = @{
    # In-process rate at 10,000 certificates divided by the rate of openssl verify (root + untrusted intermediate):
    # at least this much.
    RateRatio = 0.5
}

# The two sizes; the large one is also what openssl verifies.
$SmallCount = 1000
$LargeCount = 10000

function Measure-InProcess {
    # Times `$certs | Test-SmimeCertificate -Usage Both`, then checks that every certificate came back valid.
    param([Parameter(Mandatory)] [Security.Cryptography.X509Certificates.X509Certificate2[]] $Certificates)
    $holder = @{ Results = $null }
    $ms = Invoke-Timed { $holder.Results = @($Certificates | Test-SmimeCertificate -Usage Both) }
    $results = $holder.Results
    if ($results.Count -ne $Certificates.Count) { throw "Test-SmimeCertificate returned $($results.Count) results for $($Certificates.Count) certificates." }
    $invalid = @($results | Where-Object { -not $_.IsValid })
    if ($invalid.Count -gt 0) {
        throw "Test-SmimeCertificate found $($invalid.Count) of $($Certificates.Count) certificates not valid; the first: $($invalid[0].Subject): $($invalid[0].Failures -join '; ')"
    }
    $ms
}

function Invoke-OpensslVerify {
    # One openssl verify process over a batch of files; returns how many files it printed OK for, throws when it fails.
    param([Parameter(Mandatory)] [string] $Openssl, [Parameter(Mandatory)] [string[]] $Arguments, [Parameter(Mandatory)] [string[]] $Files)
    $info = [Diagnostics.ProcessStartInfo]::new($Openssl)
    foreach ($argument in @('verify') + $Arguments + $Files) { $info.ArgumentList.Add($argument) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $process = [Diagnostics.Process]::Start($info)
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $process.WaitForExit()
        if ($process.ExitCode -ne 0) {
            throw "openssl verify $($Arguments -join ' ') failed with exit code $($process.ExitCode) on a batch of $($Files.Count) files:`n$($stderr.Result)"
        }
        ([regex]::Matches($stdout.Result, '(?m): OK\r?$')).Count
    } finally {
        $process.Dispose()
    }
}

function Measure-OpensslSet {
    # Verifies every file, $BatchSize files per process, one process after another; returns the time for the whole set.
    param([Parameter(Mandatory)] [string] $Openssl, [Parameter(Mandatory)] [string[]] $Arguments, [Parameter(Mandatory)] [string[]] $Files)
    $holder = @{ Ok = 0 }
    $ms = Invoke-Timed {
        for ($offset = 0; $offset -lt $Files.Count; $offset += $BatchSize) {
            $batch = $Files[$offset..([Math]::Min($offset + $BatchSize, $Files.Count) - 1)]
            $holder.Ok += Invoke-OpensslVerify -Openssl $Openssl -Arguments $Arguments -Files $batch
        }
    }
    if ($holder.Ok -ne $Files.Count) { throw "openssl verify $($Arguments -join ' ') printed OK for $($holder.Ok) of $($Files.Count) files." }
    $ms
}

$manifest = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
if (Get-Module -Name SmimeAdmin) { throw 'SmimeAdmin is already loaded in this session; run the benchmark in a new process.' }
$openssl = Get-Command -Name openssl -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1

$totalTime = [Diagnostics.Stopwatch]::StartNew()
$version = (Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion
Write-Host "SmimeAdmin $version validation benchmark: PowerShell $($PSVersionTable.PSVersion), $([Runtime.InteropServices.RuntimeInformation]::OSDescription), $([Environment]::ProcessorCount) cores"
Write-Host "Module: $manifest"

$work = New-TempFolder -Prefix 'smimeadmin-bench-validation'
$previousStore = $env:SMIMEADMIN_STORE
$pki = $null
try {
    # Anything here that forgets to choose a store lands in the temporary folder, never the user's store.
    $storePath = Join-Path $work 'store'
    $env:SMIMEADMIN_STORE = $storePath

    Write-Host "Setup: generating a root CA, an intermediate CA and $(Format-Number $LargeCount 'N0') user certificates, RSA-2048 (not timed)"
    $setup = [Diagnostics.Stopwatch]::StartNew()
    $pki = New-Pki -Count $LargeCount -Label Validation
    $large = $pki.Users
    $small = $large[0..($SmallCount - 1)]
    $rootPem = Join-Path $work 'root.pem'
    $intermediatePem = Join-Path $work 'intermediate.pem'
    $bothPem = Join-Path $work 'root-and-intermediate.pem'
    Write-Pem -Path $rootPem -Certificate $pki.Root
    Write-Pem -Path $intermediatePem -Certificate $pki.Intermediate
    Write-Pem -Path $bothPem -Certificate $pki.Root, $pki.Intermediate
    $userFolder = Join-Path $work 'users'
    $null = New-Item -ItemType Directory -Path $userFolder
    $files = [string[]]::new($LargeCount)
    for ($i = 0; $i -lt $LargeCount; $i++) {
        $files[$i] = Join-Path $userFolder "user-$($i + 1).pem"
        Write-Pem -Path $files[$i] -Certificate $large[$i]
    }
    Write-Host "  generated and written as PEM in $(Format-Number $setup.Elapsed.TotalSeconds '0.0') s"

    Import-Module $manifest
    Connect-SmimeStore -Path $storePath -Organization 'bench'
    Set-SmimeCertificateCollection -Certificate $pki.Root, $pki.Intermediate
    Set-SmimeConfig -OWADisableCRLCheck $true

    Write-Host "In process: $Iterations timed Test-SmimeCertificate -Usage Both pipelines of each size after $WarmupIterations warm-up pipelines"
    for ($i = 0; $i -lt $WarmupIterations; $i++) { $null = Measure-InProcess -Certificates $small }
    $smallSamples = [double[]]::new($Iterations)
    $largeSamples = [double[]]::new($Iterations)
    for ($i = 0; $i -lt $Iterations; $i++) {
        # Alternating, so both sizes see the same machine noise.
        $smallSamples[$i] = Measure-InProcess -Certificates $small
        $largeSamples[$i] = Measure-InProcess -Certificates $large
        Write-Host '.' -NoNewline
    }
    Write-Host ''

    $reference = $null
    if ($openssl) {
        $kinds = [ordered]@{
            Chain   = @('-CAfile', $rootPem, '-untrusted', $intermediatePem)
            Partial = @('-partial_chain', '-CAfile', $bothPem)
        }
        Write-Host "openssl: $OpensslRounds timed rounds of openssl verify over $(Format-Number $LargeCount 'N0') files ($BatchSize per process), two kinds, with $($openssl.Source)"
        for ($i = 0; $i -lt $WarmupIterations; $i++) {
            foreach ($name in $kinds.Keys) { $null = Measure-OpensslSet -Openssl $openssl.Source -Arguments $kinds[$name] -Files $files }
        }
        $reference = @{ Chain = [double[]]::new($OpensslRounds); Partial = [double[]]::new($OpensslRounds) }
        $names = @($kinds.Keys)
        for ($round = 0; $round -lt $OpensslRounds; $round++) {
            # Rotating the order each round keeps a kind from always running first.
            for ($slot = 0; $slot -lt $names.Count; $slot++) {
                $name = $names[($round + $slot) % $names.Count]
                $reference[$name][$round] = Measure-OpensslSet -Openssl $openssl.Source -Arguments $kinds[$name] -Files $files
            }
            Write-Host '.' -NoNewline
        }
        Write-Host ''
    } else {
        Write-Host 'openssl: not found on PATH; the reference rows are left out.'
    }

    $smallRate = Get-Rate -Count $SmallCount -Samples $smallSamples
    $largeRate = Get-Rate -Count $LargeCount -Samples $largeSamples
    $smallText = Format-Number $SmallCount 'N0'
    $largeText = Format-Number $LargeCount 'N0'

    $rows = [Collections.Generic.List[object]]::new()
    $rows.Add((Add-Rate (New-Row -Measure "Test-SmimeCertificate $smallText certs" -Samples $smallSamples -Note 'info') $smallRate))
    $rows.Add((Add-Rate (New-Row -Measure "Test-SmimeCertificate $largeText certs" -Samples $largeSamples -Note 'info') $largeRate))
    $rows.Add((Add-Rate (New-Row -Measure "Rate $largeText / rate $smallText" -Value ($largeRate / $smallRate) -Note 'info')))
    if ($reference) {
        $chainRate = Get-Rate -Count $LargeCount -Samples $reference.Chain
        $partialRate = Get-Rate -Count $LargeCount -Samples $reference.Partial
        $rows.Add((Add-Rate (New-Row -Measure "openssl verify -untrusted ($largeText PEM)" -Samples $reference.Chain) $chainRate))
        $rows.Add((Add-Rate (New-Row -Measure "openssl verify -partial_chain ($largeText PEM)" -Samples $reference.Partial) $partialRate))
        $rows.Add((Add-Rate (New-LimitRow -Measure 'SmimeAdmin / openssl -untrusted rate' -Value ($largeRate / $chainRate) -Target $Targets.RateRatio)))
        $rows.Add((Add-Rate (New-Row -Measure 'SmimeAdmin / openssl -partial_chain rate' -Value ($largeRate / $partialRate) -Note 'info')))
    }

    Write-Host "`nResults (medians; ratio rows show the measured ratio in the Median column)"
    $rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    Write-Host 'Rates within this run (certificates per second, from the medians):'
    Write-Host "  Test-SmimeCertificate: $(Format-Number $smallRate 'N0')/s at $smallText, $(Format-Number $largeRate 'N0')/s at $largeText ($(Format-Number ($largeRate / $smallRate))x; 1.00 is a flat rate)"
    if ($reference) {
        Write-Host "  openssl verify -CAfile root -untrusted intermediate: $(Format-Number $chainRate 'N0')/s; SmimeAdmin / openssl = $(Format-Number ($largeRate / $chainRate))"
        Write-Host "  openssl verify -partial_chain -CAfile root+intermediate: $(Format-Number $partialRate 'N0')/s; SmimeAdmin / openssl = $(Format-Number ($largeRate / $partialRate))"
        Write-Host "  openssl processes per set: $([Math]::Ceiling($LargeCount / $BatchSize)) of up to $BatchSize files each"
    }
    Write-Host "`nRatio = target / figure for an at-least target; at or below 1.00 meets the target. Informational only; nothing is asserted."
    Write-Host "Benchmark took $(Format-Number $totalTime.Elapsed.TotalSeconds '0.0') s."
} finally {
    $env:SMIMEADMIN_STORE = $previousStore
    if ($pki) {
        $pki.Root.Dispose()
        $pki.Intermediate.Dispose()
        foreach ($certificate in $pki.Users) { if ($certificate) { $certificate.Dispose() } }
    }
    if (Test-Path -LiteralPath $work) { Remove-Item -LiteralPath $work -Recurse -Force }
}
