#Requires -Version 7.2
<#
.SYNOPSIS
    Measures how many messages per second Protect-SmimeMessage signs and encrypts in one pipeline, beside a shell loop
    of openssl and beside bare MimeKit doing the same crypto.

.DESCRIPTION
    The same work three ways, in one run: 1,000 messages of 50 KB (text/plain), each signed by one RSA-2048 sender
    (clear signature, SHA-256) and encrypted with AES-256 for 3 RSA-2048 recipients, every result written to a file.

      SmimeAdmin  `Get-ChildItem *.eml | Protect-SmimeMessage -Sign -Encrypt -SignerPfx ... -OutFile <folder>`, one
                  pipeline, with the organization's policy, the recipients looked up in the store and every
                  certificate validated against the collection (CRL checking off: the test certificates name no
                  CRL distribution point).
      openssl     a bash loop: `openssl cms -sign ... | openssl cms -encrypt -aes256 ...` for each message.
      MimeKit     bench/MessageBaseline: MultipartSigned.Create and ApplicationPkcs7Mime.Encrypt for each message with
                  a TemporarySecureMimeContext, no policy and no validation; its own timing of the loop (process
                  start excluded, as the module is imported before the SmimeAdmin pipeline is timed).

    Generating the keys, certificates, messages and store, and building MessageBaseline, is setup and is not timed.
    Every figure is a median over repetitions, and the ratios compare figures of the same run. Nothing is asserted:
    the script exits 0 whatever the figures are, and non-zero only when the benchmark cannot run (for example when a
    run does not write every message). Targets: faster than the openssl loop; within 1.2x the time of bare MimeKit.

.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Invoke-MessageBenchmark.ps1 -ModulePath ./out/SmimeAdmin/SmimeAdmin.psd1

.EXAMPLE
    dotnet pwsh -NoProfile -File ./bench/Invoke-MessageBenchmark.ps1 -ModulePath ./out/SmimeAdmin/SmimeAdmin.psd1 -Iterations 5 -OpensslRounds 2
#>
[CmdletBinding()]
param(
    # The staged manifest, out/SmimeAdmin/SmimeAdmin.psd1.
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # Timed runs of the SmimeAdmin pipeline and of MessageBaseline over all messages.
    [ValidateRange(1, 50)]
    [int] $Iterations = 3,

    # Timed runs of the openssl loop over all messages (slow: two processes per message).
    [ValidateRange(1, 10)]
    [int] $OpensslRounds = 1,

    # Messages, and the size of each.
    [ValidateRange(10, 100000)]
    [int] $Count = 1000,

    [ValidateRange(1, 10000)]
    [int] $MessageKilobytes = 50,

    # Untimed runs of the SmimeAdmin pipeline and of MessageBaseline on the first 50 messages, before the timing.
    [ValidateRange(0, 10)]
    [int] $WarmupIterations = 1
)

Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot 'BenchmarkHelpers.psm1') -Force
$ErrorActionPreference = 'Stop'

# Targets. Change them here and in bench/README.md together.
$Targets = @{
    # SmimeAdmin's rate divided by the openssl loop's rate: more than this.
    OpensslRateRatio = 1.0
    # SmimeAdmin's time divided by bare MimeKit's time: at most this.
    MimeKitTimeRatio = 1.2
}

$RecipientCount = 3
$Password = 'no.secret'

function New-BenchPki {
    # An RSA-2048 root CA, and four users it issues (a sender and three recipients), each with its key.
    $sha256 = [Security.Cryptography.HashAlgorithmName]::SHA256
    $pkcs1 = [Security.Cryptography.RSASignaturePadding]::Pkcs1
    $x509 = 'System.Security.Cryptography.X509Certificates'
    $now = [DateTimeOffset]::UtcNow
    $rootKey = [Security.Cryptography.RSA]::Create(2048)
    $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=Bench Message Root CA, O=SmimeAdmin Bench', $rootKey, $sha256, $pkcs1)
    $request.CertificateExtensions.Add((New-Object "$x509.X509BasicConstraintsExtension" $true, $false, 0, $true))
    $request.CertificateExtensions.Add((New-Object "$x509.X509KeyUsageExtension" ([Security.Cryptography.X509Certificates.X509KeyUsageFlags] 'KeyCertSign, CrlSign'), $true))
    $request.CertificateExtensions.Add((New-Object "$x509.X509SubjectKeyIdentifierExtension" $request.PublicKey, $false))
    $root = $request.CreateSelfSigned($now.AddDays(-2), $now.AddYears(2))
    $emailProtection = [Security.Cryptography.OidCollection]::new()
    $null = $emailProtection.Add([Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.4'))
    $users = foreach ($name in @('sender') + (1..$RecipientCount | ForEach-Object { "recipient$_" })) {
        $key = [Security.Cryptography.RSA]::Create(2048)
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=Bench $name, O=SmimeAdmin Bench", $key, $sha256, $pkcs1)
        $request.CertificateExtensions.Add((New-Object "$x509.X509BasicConstraintsExtension" $false, $false, 0, $true))
        $request.CertificateExtensions.Add((New-Object "$x509.X509KeyUsageExtension" ([Security.Cryptography.X509Certificates.X509KeyUsageFlags] 'DigitalSignature, KeyEncipherment'), $true))
        $request.CertificateExtensions.Add((New-Object "$x509.X509EnhancedKeyUsageExtension" $emailProtection, $false))
        $alternativeNames = [Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $alternativeNames.AddEmailAddress("$name@bench.example")
        $request.CertificateExtensions.Add($alternativeNames.Build())
        $serial = [byte[]] (1, [byte] $name.Length, [byte] $name[-1])
        $certificate = $request.Create($root, $now.AddDays(-1), $now.AddYears(1), $serial)
        [pscustomobject]@{ Address = "$name@bench.example"; Certificate = [Security.Cryptography.X509Certificates.RSACertificateExtensions]::CopyWithPrivateKey($certificate, $key); Key = $key }
    }
    [pscustomobject]@{ Root = $root; Sender = $users[0]; Recipients = $users[1..$RecipientCount] }
}

function Write-Messages {
    # $Count messages of about $MessageKilobytes KB each, from the sender to the three recipients.
    param([Parameter(Mandatory)] [string] $Folder, [Parameter(Mandatory)] $Pki)
    $line = 'The quarterly figures are attached as agreed; this line only makes the message the size it should be.'
    $body = (($line + "`r`n") * [Math]::Ceiling($MessageKilobytes * 1024 / ($line.Length + 2))).Substring(0, $MessageKilobytes * 1024)
    $to = @($Pki.Recipients | ForEach-Object { [string] $_.Address }) -join ', '
    $headers = "From: $($Pki.Sender.Address)`r`nTo: $to`r`nMIME-Version: 1.0`r`nContent-Type: text/plain; charset=us-ascii`r`n"
    for ($n = 1; $n -le $Count; $n++) {
        [IO.File]::WriteAllText((Join-Path $Folder ('message{0:D5}.eml' -f $n)), "${headers}Subject: Figures $n`r`n`r`n$body", [Text.Encoding]::ASCII)
    }
}

function Write-Pem {
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $Label, [Parameter(Mandatory)] [byte[]] $Der)
    [IO.File]::WriteAllText($Path, [string]::new([Security.Cryptography.PemEncoding]::Write($Label, $Der)) + "`n", [Text.Encoding]::ASCII)
}

function Reset-Folder {
    param([Parameter(Mandatory)] [string] $Path)
    if (Test-Path $Path) { Remove-Item -Path $Path -Recurse -Force }
    New-Item -ItemType Directory -Path $Path | Out-Null
}

function Assert-Written {
    param([Parameter(Mandatory)] [string] $Folder, [Parameter(Mandatory)] [int] $Expected, [Parameter(Mandatory)] [string] $What)
    $written = @(Get-ChildItem -Path $Folder -Filter '*.eml').Count
    if ($written -ne $Expected) { throw "$What wrote $written of $Expected messages." }
}

function Invoke-Baseline {
    # Runs MessageBaseline; returns the milliseconds it reports for its loop.
    param([Parameter(Mandatory)] [string] $InputFolder, [Parameter(Mandatory)] [string] $OutputFolder)
    $arguments = @($baselineDll, $InputFolder, $OutputFolder, $senderPfx, $Password) + $recipientPems
    $reported = & dotnet @arguments
    if ($LASTEXITCODE -ne 0) { throw "MessageBaseline failed with exit code $LASTEXITCODE." }
    [double]::Parse(($reported | Select-Object -Last 1), [Globalization.CultureInfo]::InvariantCulture)
}

$manifest = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
if (Get-Module -Name SmimeAdmin) { throw 'SmimeAdmin is already loaded in this session; run the benchmark in a new process.' }
$openssl = Get-Command -Name openssl -CommandType Application -ErrorAction Stop | Select-Object -First 1
$bash = Get-Command -Name bash -CommandType Application -ErrorAction Stop | Select-Object -First 1

$version = (Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion
Write-Host "SmimeAdmin $version message benchmark: PowerShell $($PSVersionTable.PSVersion), $([Runtime.InteropServices.RuntimeInformation]::OSDescription), $([Environment]::ProcessorCount) cores"
Write-Host "Module: $manifest"

$work = New-TempFolder -Prefix 'smimeadmin-bench-messages'
$previousStore = $env:SMIMEADMIN_STORE
$previousTestModule = $env:SMIMEADMIN_TEST_MODULE
try {
    Write-Host "Setup: keys, certificates, $Count messages of $MessageKilobytes KB, the store and MessageBaseline (not timed)"
    $setup = [Diagnostics.Stopwatch]::StartNew()
    $pki = New-BenchPki
    $inputFolder = Join-Path $work 'in'
    New-Item -ItemType Directory -Path $inputFolder | Out-Null
    Write-Messages -Folder $inputFolder -Pki $pki
    $warmupFolder = Join-Path $work 'warmup-in'
    New-Item -ItemType Directory -Path $warmupFolder | Out-Null
    Get-ChildItem $inputFolder -Filter '*.eml' | Select-Object -First 50 | Copy-Item -Destination $warmupFolder

    $senderPfx = Join-Path $work 'sender.pfx'
    [IO.File]::WriteAllBytes($senderPfx, $pki.Sender.Certificate.Export('Pfx', $Password))
    $senderPem = Join-Path $work 'sender.crt'
    $senderKey = Join-Path $work 'sender.key'
    Write-Pem -Path $senderPem -Label 'CERTIFICATE' -Der $pki.Sender.Certificate.RawData
    Write-Pem -Path $senderKey -Label 'PRIVATE KEY' -Der $pki.Sender.Key.ExportPkcs8PrivateKey()
    $recipientPems = @(for ($n = 0; $n -lt $RecipientCount; $n++) {
            $path = Join-Path $work "recipient$($n + 1).crt"
            Write-Pem -Path $path -Label 'CERTIFICATE' -Der $pki.Recipients[$n].Certificate.RawData
            $path
        })

    # The store: the root as the collection, the three recipients with their userCertificate, through the Core API
    # (the same helper the tests use).
    $env:SMIMEADMIN_TEST_MODULE = $manifest
    $env:SMIMEADMIN_STORE = Join-Path $work 'store'
    Import-Module (Join-Path $PSScriptRoot '../tests/MessageTestHelpers.psm1') -Force
    Import-Module $manifest
    Connect-SmimeStore -Path $env:SMIMEADMIN_STORE -Organization 'bench.example'
    Set-SmimeCertificateCollection -Certificate ([Security.Cryptography.X509Certificates.X509Certificate2]::new($pki.Root.RawData))
    Set-SmimeConfig -OWADisableCRLCheck $true -OWASigningAlgorithms '800C' -OWAEncryptionAlgorithms '6610'
    Add-TestRecipient -StorePath $env:SMIMEADMIN_STORE -Organization 'bench.example' -Recipient @($pki.Recipients | ForEach-Object {
            @{ Address = $_.Address; Certificate = [Security.Cryptography.X509Certificates.X509Certificate2]::new($_.Certificate.RawData) }
        })

    $baselineProject = Join-Path $PSScriptRoot 'MessageBaseline/MessageBaseline.csproj'
    $baselineOutput = Join-Path $work 'baseline-bin'
    & dotnet build $baselineProject -c Release -o $baselineOutput --nologo -v quiet | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'MessageBaseline did not build.' }
    $baselineDll = Join-Path $baselineOutput 'MessageBaseline.dll'
    $securePassword = ConvertTo-SecureString $Password -AsPlainText -Force
    Write-Host ("Setup took {0:N1} s" -f $setup.Elapsed.TotalSeconds)

    $outputFolder = Join-Path $work 'out'
    $protect = {
        param([string] $From)
        Get-ChildItem -Path $From -Filter '*.eml' | Protect-SmimeMessage -Sign -Encrypt -SignerPfx $senderPfx -Password $securePassword -OutFile $outputFolder | Out-Null
    }
    for ($n = 0; $n -lt $WarmupIterations; $n++) {
        Reset-Folder $outputFolder
        & $protect $warmupFolder
        Reset-Folder $outputFolder
        $null = Invoke-Baseline -InputFolder $warmupFolder -OutputFolder $outputFolder
    }

    # SmimeAdmin and MimeKit alternate, so machine noise falls on both alike.
    $smimeAdminMs = [Collections.Generic.List[double]]::new()
    $mimeKitMs = [Collections.Generic.List[double]]::new()
    for ($n = 0; $n -lt $Iterations; $n++) {
        Reset-Folder $outputFolder
        $smimeAdminMs.Add((Invoke-Timed { & $protect $inputFolder }))
        Assert-Written -Folder $outputFolder -Expected $Count -What 'Protect-SmimeMessage'
        Reset-Folder $outputFolder
        $mimeKitMs.Add((Invoke-Baseline -InputFolder $inputFolder -OutputFolder $outputFolder))
        Assert-Written -Folder $outputFolder -Expected $Count -What 'MessageBaseline'
    }

    $loop = @"
set -e
cd '$inputFolder'
for f in *.eml; do
  '$($openssl.Source)' cms -sign -in "`$f" -signer '$senderPem' -inkey '$senderKey' -md sha256 |
    '$($openssl.Source)' cms -encrypt -aes256 -out '$outputFolder/'"`$f" $($recipientPems -join ' ')
done
"@
    $loopFile = Join-Path $work 'openssl-loop.sh'
    [IO.File]::WriteAllText($loopFile, $loop)
    $opensslMs = [Collections.Generic.List[double]]::new()
    for ($n = 0; $n -lt $OpensslRounds; $n++) {
        Reset-Folder $outputFolder
        $opensslMs.Add((Invoke-Timed { & $bash.Source $loopFile; if ($LASTEXITCODE -ne 0) { throw "The openssl loop failed with exit code $LASTEXITCODE." } }))
        Assert-Written -Folder $outputFolder -Expected $Count -What 'The openssl loop'
    }

    $rate = { param([double[]] $Samples) $Count / ((Get-Percentile -Values $Samples -Percent 50) / 1000) }
    $smimeAdminRate = & $rate $smimeAdminMs.ToArray()
    $mimeKitRate = & $rate $mimeKitMs.ToArray()
    $opensslRate = & $rate $opensslMs.ToArray()
    $rows = @(
        New-Row -Measure "SmimeAdmin: $Count messages, one pipeline" -Samples $smimeAdminMs.ToArray()
        New-Row -Measure 'MimeKit, bare (MessageBaseline)' -Samples $mimeKitMs.ToArray()
        New-Row -Measure 'openssl cms -sign | -encrypt, bash loop' -Samples $opensslMs.ToArray()
    )
    $rows[0] | Add-Member -NotePropertyName 'Msg/s' -NotePropertyValue (Format-Number $smimeAdminRate 'N0')
    $rows[1] | Add-Member -NotePropertyName 'Msg/s' -NotePropertyValue (Format-Number $mimeKitRate 'N0')
    $rows[2] | Add-Member -NotePropertyName 'Msg/s' -NotePropertyValue (Format-Number $opensslRate 'N0')
    $opensslRatio = $smimeAdminRate / $opensslRate
    $opensslRow = New-Row -Measure 'Rate, SmimeAdmin / openssl loop' -Value $opensslRatio -Note 'info'
    $opensslRow.Target = '> ' + (Format-Number $Targets.OpensslRateRatio) + 'x'
    $opensslRow.Result = if ($opensslRatio -gt $Targets.OpensslRateRatio) { 'PASS' } else { 'MISS' }
    $rows += $opensslRow | Add-Member -NotePropertyName 'Msg/s' -NotePropertyValue '-' -PassThru
    $mimeKitRatio = (Get-Percentile -Values $smimeAdminMs.ToArray() -Percent 50) / (Get-Percentile -Values $mimeKitMs.ToArray() -Percent 50)
    $mimeKitRow = New-Row -Measure 'Time, SmimeAdmin / bare MimeKit' -Value $mimeKitRatio -Target $Targets.MimeKitTimeRatio
    $mimeKitRow.Target = '<= ' + (Format-Number $Targets.MimeKitTimeRatio) + 'x'
    $rows += $mimeKitRow | Add-Member -NotePropertyName 'Msg/s' -NotePropertyValue '-' -PassThru
    $rows | Format-Table -AutoSize | Out-String -Width 160 | Write-Host
} finally {
    $env:SMIMEADMIN_STORE = $previousStore
    $env:SMIMEADMIN_TEST_MODULE = $previousTestModule
    Remove-Item -Path $work -Recurse -Force -ErrorAction SilentlyContinue
}
