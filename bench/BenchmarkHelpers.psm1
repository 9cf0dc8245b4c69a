# What the benchmarks share: percentiles, number formatting, temporary folders, the rows of the result table, timing,
# rates, and a generated PKI.

$Invariant = [Globalization.CultureInfo]::InvariantCulture

function Get-Percentile {
    # Nearest-rank percentile; the 50th is the usual median (mean of the middle two for an even count).
    param([Parameter(Mandatory)] [double[]] $Values, [Parameter(Mandatory)] [double] $Percent)
    $sorted = [double[]] $Values.Clone()
    [Array]::Sort($sorted)
    if ($Percent -eq 50) {
        $middle = [int][Math]::Floor($sorted.Length / 2)
        if ($sorted.Length % 2 -eq 1) { return $sorted[$middle] }
        return ($sorted[$middle - 1] + $sorted[$middle]) / 2
    }
    $rank = [int][Math]::Ceiling($Percent / 100 * $sorted.Length)
    $sorted[[Math]::Max(0, $rank - 1)]
}

function Format-Number {
    param([double] $Value, [string] $Format = '0.00')
    $Value.ToString($Format, $Invariant)
}

function New-TempFolder {
    param([Parameter(Mandatory)] [string] $Prefix)
    $path = Join-Path ([IO.Path]::GetTempPath()) "$Prefix-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path $path | Out-Null
    $path
}

function New-Row {
    # Target is in milliseconds for a time; for a ratio row pass -Value, the measured ratio, instead of -Samples.
    param(
        [string] $Measure, [double[]] $Samples, [double] $Value = [double]::NaN, [double] $Target = 0,
        [string] $Note = 'reference', [string] $Format = '0.0'
    )
    $isRatio = -not [double]::IsNaN($Value)
    $figure = if ($isRatio) { $Value } else { Get-Percentile -Values $Samples -Percent 50 }
    $row = [ordered]@{
        Measure     = $Measure
        'Median ms' = if ($isRatio) { (Format-Number $figure) + 'x' } else { Format-Number $figure $Format }
        'P95 ms'    = if ($isRatio) { '-' } else { Format-Number (Get-Percentile -Values $Samples -Percent 95) $Format }
        Target      = '-'
        Ratio       = '-'
        Result      = $Note
    }
    if ($Target -gt 0) {
        $row.Target = '<= ' + (Format-Number $Target '0') + $(if ($isRatio) { 'x' } else { ' ms' })
        $row.Ratio = Format-Number ($figure / $Target)
        $row.Result = if ($figure -le $Target) { 'PASS' } else { 'MISS' }
    }
    [pscustomobject] $row
}

function Invoke-Timed {
    # Times one script block with a Stopwatch, after a full collection so that earlier garbage is not charged to it.
    param([Parameter(Mandatory)] [scriptblock] $Action)
    [GC]::Collect()
    [GC]::WaitForPendingFinalizers()
    $stopwatch = [Diagnostics.Stopwatch]::StartNew()
    & $Action
    $stopwatch.Stop()
    $stopwatch.Elapsed.TotalMilliseconds
}

function New-Pki {
    # A root CA, an intermediate CA, and $Count user certificates from the intermediate, all RSA-2048 with SHA-256.
    # The user certificates share one key (a key per certificate would make the setup take minutes); they differ in
    # subject, address and serial number.
    param([Parameter(Mandatory)] [int] $Count, [Parameter(Mandatory)] [string] $Label)
    $x509 = 'System.Security.Cryptography.X509Certificates'
    $sha256 = [Security.Cryptography.HashAlgorithmName]::SHA256
    $pkcs1 = [Security.Cryptography.RSASignaturePadding]::Pkcs1
    $notBefore = [DateTimeOffset]::UtcNow.AddDays(-1)
    $notAfter = [DateTimeOffset]::UtcNow.AddYears(1)
    $caUsage = [Security.Cryptography.X509Certificates.X509KeyUsageFlags] 'KeyCertSign, CrlSign'
    $userUsage = [Security.Cryptography.X509Certificates.X509KeyUsageFlags] 'DigitalSignature, KeyEncipherment'
    $emailProtection = [Security.Cryptography.OidCollection]::new()
    $null = $emailProtection.Add([Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.4'))

    $rootKey = [Security.Cryptography.RSA]::Create(2048)
    $intermediateKey = [Security.Cryptography.RSA]::Create(2048)
    $userKey = [Security.Cryptography.RSA]::Create(2048)
    try {
        $rootName = [Security.Cryptography.X509Certificates.X500DistinguishedName]::new("CN=Bench $Label Root CA, O=SmimeAdmin Bench")
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new($rootName, $rootKey, $sha256, $pkcs1)
        $request.CertificateExtensions.Add((New-Object "$x509.X509BasicConstraintsExtension" $true, $false, 0, $true))
        $request.CertificateExtensions.Add((New-Object "$x509.X509KeyUsageExtension" $caUsage, $true))
        $request.CertificateExtensions.Add((New-Object "$x509.X509SubjectKeyIdentifierExtension" $request.PublicKey, $false))
        $rootWithKey = $request.CreateSelfSigned($notBefore.AddDays(-1), $notAfter.AddYears(1))
        $root = [Security.Cryptography.X509Certificates.X509Certificate2]::new($rootWithKey.RawData)
        $rootWithKey.Dispose()

        $intermediateName = [Security.Cryptography.X509Certificates.X500DistinguishedName]::new("CN=Bench $Label Intermediate CA, O=SmimeAdmin Bench")
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new($intermediateName, $intermediateKey, $sha256, $pkcs1)
        $request.CertificateExtensions.Add((New-Object "$x509.X509BasicConstraintsExtension" $true, $true, 0, $true))
        $request.CertificateExtensions.Add((New-Object "$x509.X509KeyUsageExtension" $caUsage, $true))
        $request.CertificateExtensions.Add((New-Object "$x509.X509SubjectKeyIdentifierExtension" $request.PublicKey, $false))
        $rootSigner = [Security.Cryptography.X509Certificates.X509SignatureGenerator]::CreateForRSA($rootKey, $pkcs1)
        $intermediate = $request.Create($rootName, $rootSigner, $notBefore, $notAfter.AddMonths(6), [byte[]] (1, 0, 0, 1))

        $signer = [Security.Cryptography.X509Certificates.X509SignatureGenerator]::CreateForRSA($intermediateKey, $pkcs1)
        $users = [Security.Cryptography.X509Certificates.X509Certificate2[]]::new($Count)
        for ($n = 1; $n -le $Count; $n++) {
            $name = [Security.Cryptography.X509Certificates.X500DistinguishedName]::new("CN=Bench User $n, O=SmimeAdmin Bench")
            $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new($name, $userKey, $sha256, $pkcs1)
            $request.CertificateExtensions.Add((New-Object "$x509.X509BasicConstraintsExtension" $false, $false, 0, $true))
            $request.CertificateExtensions.Add((New-Object "$x509.X509KeyUsageExtension" $userUsage, $true))
            $request.CertificateExtensions.Add((New-Object "$x509.X509EnhancedKeyUsageExtension" $emailProtection, $false))
            $alternativeNames = [Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
            $alternativeNames.AddEmailAddress("user$n@bench.example")
            $request.CertificateExtensions.Add($alternativeNames.Build())
            # A positive serial number that is unique for every n.
            $serial = [byte[]] (2, (($n -shr 24) -band 255), (($n -shr 16) -band 255), (($n -shr 8) -band 255), ($n -band 255))
            $users[$n - 1] = $request.Create($intermediateName, $signer, $notBefore, $notAfter, $serial)
        }
    } finally {
        $rootKey.Dispose()
        $intermediateKey.Dispose()
        $userKey.Dispose()
    }
    [pscustomobject]@{ Root = $root; Intermediate = $intermediate; Users = $users }
}

function Write-Pem {
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [Security.Cryptography.X509Certificates.X509Certificate2[]] $Certificate)
    $text = ($Certificate | ForEach-Object { [string]::new([Security.Cryptography.PemEncoding]::Write('CERTIFICATE', $_.RawData)) + "`n" }) -join ''
    [IO.File]::WriteAllText($Path, $text, [Text.Encoding]::ASCII)
}

function Get-Rate {
    param([Parameter(Mandatory)] [int] $Count, [Parameter(Mandatory)] [double[]] $Samples)
    $Count / ((Get-Percentile -Values $Samples -Percent 50) / 1000)
}

function Add-Rate {
    # The per-second column: from the median for a timed row, '-' for a ratio row.
    param([Parameter(Mandatory)] $Row, [double] $Rate = [double]::NaN, [string] $Column = 'Certs/s')
    $text = if ([double]::IsNaN($Rate)) { '-' } else { Format-Number $Rate 'N0' }
    $Row | Add-Member -NotePropertyName $Column -NotePropertyValue $text -PassThru
}

function New-LimitRow {
    # A ratio row with a minimum (or, with -AtMost, a maximum) as its target. Ratio is target / figure for a minimum
    # and figure / target for a maximum, so that, as in every other row, a ratio of 1.00 or less meets the target.
    param([string] $Measure, [double] $Value, [double] $Target, [switch] $AtMost)
    $row = New-Row -Measure $Measure -Value $Value -Note 'info'
    $row.Target = $(if ($AtMost) { '<= ' } else { '>= ' }) + (Format-Number $Target) + 'x'
    $ratio = if ($AtMost) { $Value / $Target } else { $Target / $Value }
    $row.Ratio = Format-Number $ratio
    $row.Result = if ($ratio -le 1) { 'PASS' } else { 'MISS' }
    $row
}

Export-ModuleMember -Function Get-Percentile, Format-Number, New-TempFolder, New-Row, Invoke-Timed, New-Pki, Write-Pem, Get-Rate, Add-Rate, New-LimitRow
