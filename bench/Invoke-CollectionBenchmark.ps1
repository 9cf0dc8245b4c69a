#Requires -Version 7.2
<#
.SYNOPSIS
    Measures how fast SmimeAdmin imports and exports certificate collections, against openssl reading the same
    certificates, and how the import grows with the size of the collection.

.DESCRIPTION
    Four parts, all in one run:

      Import      Set-SmimeCertificateCollection -RawData -SkipExpired with the 434 Windows root certificates of
                  ../shared/testdata/windows-roots.sst (parse, skip the expired ones, validate, store), into a new
                  organization for every timed call.
      Export      Export-SmimeCertificateCollection of the stored collection as Sst, P7b and Pem.
      openssl     the reference: child processes of `openssl storeutl -noout -certs` and of
                  `openssl crl2pkcs7 -nocrl -certfile | openssl pkcs7 -print_certs -noout` reading all 434
                  certificates as one PEM bundle, and of `openssl version` for the cost of starting a process.
      Linearity   Set-SmimeCertificateCollection -RawData with generated stores of 2,000 and 20,000 distinct
                  self-signed CA certificates; the 20,000 / 2,000 ratio shows whether the work grows linearly.

    Every figure is a median over repetitions and every comparison is between figures of the same run, because the
    machines are small and noisy. Nothing is asserted: the script exits 0 whatever the figures are, and non-zero only
    when the benchmark itself cannot run. See bench/README.md for the targets and how to read the ratios.

.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Invoke-CollectionBenchmark.ps1 -ModulePath ./out/SmimeAdmin/SmimeAdmin.psd1

.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Invoke-CollectionBenchmark.ps1 -ModulePath ./out/SmimeAdmin/SmimeAdmin.psd1 -ImportIterations 31
#>
[CmdletBinding()]
param(
    # The staged manifest, out/SmimeAdmin/SmimeAdmin.psd1.
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # Timed imports of windows-roots.sst, each into a new organization.
    [ValidateRange(3, 1000)]
    [int] $ImportIterations = 15,

    # Timed exports in each format.
    [ValidateRange(3, 1000)]
    [int] $ExportIterations = 15,

    # Rounds of openssl child processes; each round starts one process of every kind.
    [ValidateRange(3, 200)]
    [int] $OpensslRounds = 15,

    # Timed imports of each generated store (2,000 and 20,000 certificates).
    [ValidateRange(1, 20)]
    [int] $LinearityIterations = 5,

    # Untimed imports and exports before the timing starts.
    [ValidateRange(0, 100)]
    [int] $WarmupIterations = 3,

    # The Windows serialized store to import.
    [string] $SstPath = (Join-Path $PSScriptRoot '../../shared/testdata/windows-roots.sst')
)

Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot 'BenchmarkHelpers.psm1') -Force
$ErrorActionPreference = 'Stop'

# Targets. Change them here and in bench/README.md together.
$Targets = @{
    # Milliseconds for one in-process import of windows-roots.sst (median).
    ImportMedian   = 100
    # Import time of 20,000 certificates divided by that of 2,000: 10 would be exactly linear.
    LinearityRatio = 11
}

# The generated stores; the linearity target assumes these two sizes.
$SmallCount = 2000
$LargeCount = 20000

$Invariant = [Globalization.CultureInfo]::InvariantCulture

# GC.GetTotalPauseDuration exists from .NET 7 (PowerShell 7.3) on.
$CanReadGcPause = $null -ne [GC].GetMethod('GetTotalPauseDuration')

function Read-SerializedStore {
    # The DER certificates of a Windows serialized store: an 8-byte header, then elements of a 4-byte LE property id,
    # a 4-byte encoding type and a 4-byte LE length before the value. Id 32 is a certificate, id 0 ends the store.
    param([Parameter(Mandatory)] [byte[]] $Bytes)
    $certificates = [Collections.Generic.List[byte[]]]::new()
    $position = 8
    while ($position + 12 -le $Bytes.Length) {
        $id = [BitConverter]::ToUInt32($Bytes, $position)
        $length = [int] [BitConverter]::ToUInt32($Bytes, $position + 8)
        if ($id -eq 0) { break }
        $position += 12
        if ($length -lt 0 -or $position + $length -gt $Bytes.Length) { throw "The serialized store is truncated at byte $position." }
        if ($id -eq 32) {
            $der = [byte[]]::new($length)
            [Array]::Copy($Bytes, $position, $der, 0, $length)
            $certificates.Add($der)
        }
        $position += $length
    }
    , $certificates.ToArray()
}

function Write-SerializedStore {
    # The inverse of Read-SerializedStore, with only the certificate elements (encoding 1, X509_ASN_ENCODING).
    param([Parameter(Mandatory)] [byte[][]] $Certificates)
    $stream = [IO.MemoryStream]::new()
    $writer = [IO.BinaryWriter]::new($stream)
    # The header: a zero dword, then the magic 'CERT'.
    $writer.Write([uint32] 0)
    $writer.Write([Text.Encoding]::ASCII.GetBytes('CERT'))
    foreach ($der in $Certificates) {
        $writer.Write([uint32] 32)
        $writer.Write([uint32] 1)
        $writer.Write([uint32] $der.Length)
        $writer.Write($der)
    }
    # The end-of-store element: id, encoding and length all zero.
    $writer.Write([byte[]]::new(12))
    $writer.Flush()
    # The comma keeps PowerShell from unrolling the array into the pipeline one byte at a time.
    , $stream.ToArray()
}

function ConvertTo-PemBundle {
    param([Parameter(Mandatory)] [byte[][]] $Certificates)
    $builder = [Text.StringBuilder]::new()
    foreach ($der in $Certificates) {
        $base64 = [Convert]::ToBase64String($der)
        $null = $builder.Append("-----BEGIN CERTIFICATE-----`n")
        for ($offset = 0; $offset -lt $base64.Length; $offset += 64) {
            $null = $builder.Append($base64, $offset, [Math]::Min(64, $base64.Length - $offset)).Append("`n")
        }
        $null = $builder.Append("-----END CERTIFICATE-----`n")
    }
    , [Text.Encoding]::ASCII.GetBytes($builder.ToString())
}

function New-GeneratedCertificates {
    # Distinct self-signed CA certificates "CN=Bench Root <n>", all signed with one ECDsa P-256 key (a new key per
    # certificate would make the setup take minutes; the collection only needs distinct subjects and thumbprints).
    param([Parameter(Mandatory)] [int] $Count, [Parameter(Mandatory)] [Security.Cryptography.ECDsa] $Key)
    $x509 = 'System.Security.Cryptography.X509Certificates'
    $generator = [Security.Cryptography.X509Certificates.X509SignatureGenerator]::CreateForECDsa($Key)
    $notBefore = [DateTimeOffset]::UtcNow.AddDays(-1)
    $notAfter = [DateTimeOffset]::UtcNow.AddYears(1)
    $basicConstraints = New-Object "$x509.X509BasicConstraintsExtension" $true, $false, 0, $true
    $keyUsage = New-Object "$x509.X509KeyUsageExtension" ([Security.Cryptography.X509Certificates.X509KeyUsageFlags] 'KeyCertSign, CrlSign'), $true
    $certificates = [byte[][]]::new($Count)
    for ($n = 1; $n -le $Count; $n++) {
        $name = [Security.Cryptography.X509Certificates.X500DistinguishedName]::new("CN=Bench Root $n")
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new($name, $Key, [Security.Cryptography.HashAlgorithmName]::SHA256)
        $request.CertificateExtensions.Add($basicConstraints)
        $request.CertificateExtensions.Add($keyUsage)
        # A positive serial number that is unique for every n.
        $serial = [byte[]] (1, (($n -shr 24) -band 255), (($n -shr 16) -band 255), (($n -shr 8) -band 255), ($n -band 255))
        $certificate = $request.Create($name, $generator, $notBefore, $notAfter, $serial)
        try { $certificates[$n - 1] = $certificate.RawData } finally { $certificate.Dispose() }
    }
    , $certificates
}

function Get-StoredCount {
    param([Parameter(Mandatory)] [string] $Organization)
    @(Get-SmimeCertificateCollection -Identity $Organization).Count
}

function Invoke-Timed {
    # Times one script block with a Stopwatch, after a full collection so that earlier garbage is not charged to it.
    # The block runs in a child scope of this function, so it reads the caller's variables ($organization, $file, ...).
    # Also returns the gen 2 collections and the GC pause time that fell within the timed span.
    param([Parameter(Mandatory)] [scriptblock] $Action)
    [GC]::Collect()
    [GC]::WaitForPendingFinalizers()
    $gen2 = [GC]::CollectionCount(2)
    $pause = if ($CanReadGcPause) { [GC]::GetTotalPauseDuration() } else { [TimeSpan]::Zero }
    $stopwatch = [Diagnostics.Stopwatch]::StartNew()
    & $Action
    $stopwatch.Stop()
    [pscustomobject]@{
        Ms      = $stopwatch.Elapsed.TotalMilliseconds
        Gen2    = [GC]::CollectionCount(2) - $gen2
        PauseMs = if ($CanReadGcPause) { ([GC]::GetTotalPauseDuration() - $pause).TotalMilliseconds } else { [double]::NaN }
    }
}

function Measure-Import {
    # Each call gets a new organization: storing the same certificates again only warns and writes nothing.
    param([Parameter(Mandatory)] [byte[]] $Sst, [Parameter(Mandatory)] [int] $Expected)
    for ($i = 1; $i -le $WarmupIterations; $i++) {
        Set-SmimeCertificateCollection -RawData $Sst -Identity "warmup-$i" -SkipExpired -WarningAction SilentlyContinue
    }
    $samples = [double[]]::new($ImportIterations)
    for ($i = 1; $i -le $ImportIterations; $i++) {
        $organization = "bench-$i"
        $samples[$i - 1] = (Invoke-Timed { Set-SmimeCertificateCollection -RawData $Sst -Identity $organization -SkipExpired -WarningAction SilentlyContinue }).Ms
    }
    for ($i = 1; $i -le $ImportIterations; $i++) {
        $stored = Get-StoredCount "bench-$i"
        if ($stored -ne $Expected) { throw "Import $i stored $stored certificates, expected $Expected; the import figures would not measure a full import." }
    }
    , $samples
}

function Measure-Export {
    param([Parameter(Mandatory)] [string] $Organization, [Parameter(Mandatory)] [string] $Folder)
    $formats = 'Sst', 'P7b', 'Pem'
    $samples = @{}
    foreach ($format in $formats) { $samples[$format] = [double[]]::new($ExportIterations) }
    for ($i = 0; $i -lt $WarmupIterations; $i++) {
        foreach ($format in $formats) { $null = Export-SmimeCertificateCollection -Path (Join-Path $Folder "collection.$format") -Format $format -Identity $Organization }
    }
    for ($i = 0; $i -lt $ExportIterations; $i++) {
        # Interleaved, so all three formats see the same machine noise; each call overwrites its file.
        foreach ($format in $formats) {
            $file = Join-Path $Folder "collection.$format"
            $samples[$format][$i] = (Invoke-Timed { $null = Export-SmimeCertificateCollection -Path $file -Format $format -Identity $Organization }).Ms
        }
    }
    $samples
}

function Start-Openssl {
    param([Parameter(Mandatory)] [string] $Openssl, [Parameter(Mandatory)] [string[]] $Arguments, [switch] $RedirectInput)
    $info = [Diagnostics.ProcessStartInfo]::new($Openssl)
    foreach ($argument in $Arguments) { $info.ArgumentList.Add($argument) }
    $info.UseShellExecute = $false
    $info.RedirectStandardInput = [bool] $RedirectInput
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    [Diagnostics.Process]::Start($info)
}

function Complete-Openssl {
    # Waits for the process and returns its standard output (when it was read here); throws when it failed.
    param([Parameter(Mandatory)] [Diagnostics.Process] $Process, $Stdout, [Parameter(Mandatory)] $Stderr, [string[]] $Arguments)
    $Process.WaitForExit()
    $output = if ($Stdout) { $Stdout.Result } else { '' }
    if ($Process.ExitCode -ne 0) {
        throw "openssl failed with exit code $($Process.ExitCode) running: openssl $($Arguments -join ' ')`n$output$($Stderr.Result)"
    }
    $output
}

function Invoke-Openssl {
    # Runs one openssl command, or two connected by a pipe (Second reads what First writes), and returns the
    # wall-clock time and the standard output of the last one.
    param([Parameter(Mandatory)] [string] $Openssl, [Parameter(Mandatory)] [string[]] $First, [string[]] $Second)
    $stopwatch = [Diagnostics.Stopwatch]::StartNew()
    $writer = Start-Openssl -Openssl $Openssl -Arguments $First
    $reader = $null
    try {
        $writerErr = $writer.StandardError.ReadToEndAsync()
        if ($Second) {
            $reader = Start-Openssl -Openssl $Openssl -Arguments $Second -RedirectInput
            $readerOut = $reader.StandardOutput.ReadToEndAsync()
            $readerErr = $reader.StandardError.ReadToEndAsync()
            $writer.StandardOutput.BaseStream.CopyTo($reader.StandardInput.BaseStream)
            $reader.StandardInput.Close()
            $null = Complete-Openssl -Process $writer -Stderr $writerErr -Arguments $First
            $output = Complete-Openssl -Process $reader -Stdout $readerOut -Stderr $readerErr -Arguments $Second
        } else {
            $writerOut = $writer.StandardOutput.ReadToEndAsync()
            $output = Complete-Openssl -Process $writer -Stdout $writerOut -Stderr $writerErr -Arguments $First
        }
        $stopwatch.Stop()
    } finally {
        $writer.Dispose()
        if ($reader) { $reader.Dispose() }
    }
    [pscustomobject]@{ Ms = $stopwatch.Elapsed.TotalMilliseconds; Output = $output }
}

function Measure-Openssl {
    param([Parameter(Mandatory)] [string] $Openssl, [Parameter(Mandatory)] [string] $Bundle, [Parameter(Mandatory)] [int] $Expected)
    $kinds = [ordered]@{
        Version  = @{ First = @('version') }
        Storeutl = @{ First = @('storeutl', '-noout', '-certs', $Bundle) }
        Pkcs7    = @{ First = @('crl2pkcs7', '-nocrl', '-certfile', $Bundle); Second = @('pkcs7', '-print_certs', '-noout') }
    }
    $names = @($kinds.Keys)

    # Untimed: fills the disk cache, and checks that openssl really reads every certificate of the bundle.
    $kind = $kinds.Version
    $null = Invoke-Openssl -Openssl $Openssl @kind
    $kind = $kinds.Storeutl
    $found = (Invoke-Openssl -Openssl $Openssl @kind).Output
    if ($found -notmatch "Total found: $Expected\b") { throw "openssl storeutl did not find $Expected certificates in the bundle:`n$found" }
    $kind = $kinds.Pkcs7
    $printed = ([regex]::Matches((Invoke-Openssl -Openssl $Openssl @kind).Output, '(?m)^subject=')).Count
    if ($printed -ne $Expected) { throw "openssl pkcs7 -print_certs printed $printed certificates, expected $Expected." }

    $samples = @{}
    foreach ($name in $names) { $samples[$name] = [double[]]::new($OpensslRounds) }
    for ($round = 0; $round -lt $OpensslRounds; $round++) {
        # Rotating the order each round keeps a kind from always running first, or always after a particular one.
        for ($slot = 0; $slot -lt $names.Count; $slot++) {
            $name = $names[($round + $slot) % $names.Count]
            $kind = $kinds[$name]
            $samples[$name][$round] = (Invoke-Openssl -Openssl $Openssl @kind).Ms
        }
    }
    $storeutlAdded = [double[]]::new($OpensslRounds)
    $pkcs7Added = [double[]]::new($OpensslRounds)
    for ($round = 0; $round -lt $OpensslRounds; $round++) {
        $storeutlAdded[$round] = $samples.Storeutl[$round] - $samples.Version[$round]
        $pkcs7Added[$round] = $samples.Pkcs7[$round] - $samples.Version[$round]
    }
    [pscustomobject]@{
        Version       = $samples.Version
        Storeutl      = $samples.Storeutl
        Pkcs7         = $samples.Pkcs7
        StoreutlAdded = $storeutlAdded
        Pkcs7Added    = $pkcs7Added
    }
}

function Measure-Linearity {
    param([Parameter(Mandatory)] [byte[]] $SmallSst, [Parameter(Mandatory)] [byte[]] $LargeSst)
    # One untimed import of the small store, so that nothing of the first large import is warm-up.
    Set-SmimeCertificateCollection -RawData $SmallSst -Identity 'warmup-linear'
    $small = [Collections.Generic.List[object]]::new()
    $large = [Collections.Generic.List[object]]::new()
    for ($i = 1; $i -le $LinearityIterations; $i++) {
        # Alternating, so both sizes see the same machine noise.
        $small.Add((Invoke-Timed { Set-SmimeCertificateCollection -RawData $SmallSst -Identity "linear-$SmallCount-$i" }))
        $large.Add((Invoke-Timed { Set-SmimeCertificateCollection -RawData $LargeSst -Identity "linear-$LargeCount-$i" }))
        Write-Host '.' -NoNewline
    }
    Write-Host ''
    for ($i = 1; $i -le $LinearityIterations; $i++) {
        foreach ($count in $SmallCount, $LargeCount) {
            $stored = Get-StoredCount "linear-$count-$i"
            if ($stored -ne $count) { throw "The import of $count generated certificates stored $stored." }
        }
    }
    [pscustomobject]@{
        Small      = [double[]] $small.Ms
        Large      = [double[]] $large.Ms
        SmallGen2  = [double[]] $small.Gen2
        LargeGen2  = [double[]] $large.Gen2
        SmallPause = [double[]] $small.PauseMs
        LargePause = [double[]] $large.PauseMs
    }
}

$manifest = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$sstFile = (Resolve-Path -LiteralPath $SstPath).ProviderPath
if (Get-Module -Name SmimeAdmin) { throw 'SmimeAdmin is already loaded in this session; run the benchmark in a new process.' }
$openssl = Get-Command -Name openssl -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1

$totalTime = [Diagnostics.Stopwatch]::StartNew()
$version = (Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion
Write-Host "SmimeAdmin $version collection benchmark: PowerShell $($PSVersionTable.PSVersion), $([Runtime.InteropServices.RuntimeInformation]::OSDescription), $([Environment]::ProcessorCount) cores"
Write-Host "Module: $manifest"

$work = New-TempFolder -Prefix 'smimeadmin-bench-collection'
$previousStore = $env:SMIMEADMIN_STORE
$key = $null
try {
    # Anything here that forgets to choose a store lands in the temporary folder, never the user's store.
    $storePath = Join-Path $work 'store'
    $env:SMIMEADMIN_STORE = $storePath

    $sst = [IO.File]::ReadAllBytes($sstFile)
    $roots = Read-SerializedStore -Bytes $sst
    $now = [DateTime]::UtcNow
    $unexpired = @($roots | Where-Object {
            $certificate = [Security.Cryptography.X509Certificates.X509Certificate2]::new($_)
            try { $certificate.NotAfter.ToUniversalTime() -ge $now } finally { $certificate.Dispose() }
        }).Count
    $bundle = Join-Path $work 'windows-roots.pem'
    [IO.File]::WriteAllBytes($bundle, (ConvertTo-PemBundle -Certificates $roots))
    Write-Host "Input: $sstFile, $($roots.Count) certificates, $unexpired unexpired (stored by -SkipExpired)"

    Import-Module $manifest
    Connect-SmimeStore -Path $storePath -Organization 'bench-0'

    Write-Host "Import: $ImportIterations timed Set-SmimeCertificateCollection -RawData -SkipExpired calls after $WarmupIterations warm-up calls"
    $import = Measure-Import -Sst $sst -Expected $unexpired

    Write-Host "Export: $ExportIterations timed Export-SmimeCertificateCollection calls per format after $WarmupIterations warm-up calls"
    $export = Measure-Export -Organization 'bench-1' -Folder $work

    $reference = $null
    if ($openssl) {
        Write-Host "openssl: $OpensslRounds rounds of 3 child processes (version, storeutl, crl2pkcs7 | pkcs7) with $($openssl.Source)"
        $reference = Measure-Openssl -Openssl $openssl.Source -Bundle $bundle -Expected $roots.Count
    } else {
        Write-Host 'openssl: not found on PATH; the reference rows are left out.'
    }

    Write-Host "Linearity: generating $(Format-Number $SmallCount 'N0') and $(Format-Number $LargeCount 'N0') self-signed CA certificates (setup, not timed)"
    $setup = [Diagnostics.Stopwatch]::StartNew()
    $key = [Security.Cryptography.ECDsa]::Create([Security.Cryptography.ECCurve+NamedCurves]::nistP256)
    $smallSst = Write-SerializedStore -Certificates (New-GeneratedCertificates -Count $SmallCount -Key $key)
    $largeSst = Write-SerializedStore -Certificates (New-GeneratedCertificates -Count $LargeCount -Key $key)
    Write-Host "  generated in $(Format-Number $setup.Elapsed.TotalSeconds '0.0') s; timing $LinearityIterations imports of each"
    $linearity = Measure-Linearity -SmallSst $smallSst -LargeSst $largeSst

    $importMedian = Get-Percentile -Values $import -Percent 50
    $smallMedian = Get-Percentile -Values $linearity.Small -Percent 50
    $largeMedian = Get-Percentile -Values $linearity.Large -Percent 50
    $linearRatio = $largeMedian / $smallMedian

    $rows = [Collections.Generic.List[object]]::new()
    $rows.Add((New-Row -Measure "Import windows-roots.sst ($($roots.Count) certs)" -Samples $import -Target $Targets.ImportMedian))
    foreach ($format in 'Sst', 'P7b', 'Pem') {
        $rows.Add((New-Row -Measure "Export $format ($unexpired certs)" -Samples $export[$format] -Note 'info'))
    }
    if ($reference) {
        $rows.Add((New-Row -Measure 'openssl version (process start)' -Samples $reference.Version))
        $rows.Add((New-Row -Measure "openssl storeutl -certs ($($roots.Count) PEM)" -Samples $reference.Storeutl))
        $rows.Add((New-Row -Measure "openssl crl2pkcs7 | pkcs7 ($($roots.Count) PEM)" -Samples $reference.Pkcs7))
        $storeutlMedian = Get-Percentile -Values $reference.Storeutl -Percent 50
        $rows.Add((New-Row -Measure 'Import / openssl storeutl' -Value ($importMedian / $storeutlMedian) -Note 'info'))
    }
    $rows.Add((New-Row -Measure "Import $(Format-Number $SmallCount 'N0') generated certs" -Samples $linearity.Small -Note 'info'))
    $rows.Add((New-Row -Measure "Import $(Format-Number $LargeCount 'N0') generated certs" -Samples $linearity.Large -Note 'info'))
    $rows.Add((New-Row -Measure "Import $(Format-Number $LargeCount 'N0') / $(Format-Number $SmallCount 'N0')" -Value $linearRatio -Target $Targets.LinearityRatio))

    Write-Host "`nResults (medians; ratio rows show the measured ratio in the Median column)"
    $rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    Write-Host 'Ratios within this run:'
    if ($reference) {
        $pkcs7Median = Get-Percentile -Values $reference.Pkcs7 -Percent 50
        $storeutlAdded = Get-Percentile -Values $reference.StoreutlAdded -Percent 50
        $pkcs7Added = Get-Percentile -Values $reference.Pkcs7Added -Percent 50
        Write-Host "  Import / openssl storeutl (whole process):          $(Format-Number ($importMedian / $storeutlMedian))x"
        Write-Host "  Import / openssl crl2pkcs7 | pkcs7 (two processes): $(Format-Number ($importMedian / $pkcs7Median))x"
        Write-Host "  openssl storeutl minus process start (median of per-round differences): $(Format-Number $storeutlAdded '0.0') ms"
        Write-Host "  openssl crl2pkcs7 | pkcs7 minus one process start: $(Format-Number $pkcs7Added '0.0') ms"
        if ($storeutlAdded -gt 0) {
            Write-Host "  Import / openssl storeutl net of process start:     $(Format-Number ($importMedian / $storeutlAdded))x"
        }
    }
    $smallText = Format-Number $SmallCount 'N0'
    $largeText = Format-Number $LargeCount 'N0'
    Write-Host "  Import per certificate read: $(Format-Number (1000 * $importMedian / $roots.Count) '0.0') us (windows-roots.sst), $(Format-Number (1000 * $smallMedian / $SmallCount) '0.0') us ($smallText generated), $(Format-Number (1000 * $largeMedian / $LargeCount) '0.0') us ($largeText generated)"
    Write-Host "  Import $largeText / $smallText generated certificates: $(Format-Number $linearRatio)x ($(Format-Number ($LargeCount / $SmallCount))x is exactly linear)"
    # Forced collections before each call leave a small heap; how much of a call is GC shows in the linearity ratio.
    foreach ($size in @(
            @{ Text = $smallText; Median = $smallMedian; Gen2 = $linearity.SmallGen2; Pause = $linearity.SmallPause }
            @{ Text = $largeText; Median = $largeMedian; Gen2 = $linearity.LargeGen2; Pause = $linearity.LargePause })) {
        $gen2 = Format-Number (Get-Percentile -Values $size.Gen2 -Percent 50) '0.#'
        $line = "  GC within an import of $($size.Text) (medians): gen 2 collections $gen2"
        if ($CanReadGcPause) {
            $pause = Get-Percentile -Values $size.Pause -Percent 50
            $line += ", $(Format-Number $pause '0.0') ms paused ($(Format-Number (100 * $pause / $size.Median) '0')% of the import)"
        }
        Write-Host $line
    }
    Write-Host "`nRatio = figure / target; at or below 1.00 meets the target. Informational only; nothing is asserted."
    Write-Host "Benchmark took $(Format-Number $totalTime.Elapsed.TotalSeconds '0.0') s."
} finally {
    $env:SMIMEADMIN_STORE = $previousStore
    if ($key) { $key.Dispose() }
    if (Test-Path -LiteralPath $work) { Remove-Item -LiteralPath $work -Recurse -Force }
}
