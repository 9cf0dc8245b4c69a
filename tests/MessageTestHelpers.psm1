# Helpers for the message cmdlet tests. Imported inside BeforeAll blocks, never at discovery time.

Import-Module (Join-Path $PSScriptRoot '../tools/Pwsh.psm1') -Force

function Add-TestRecipient {
    <#
    .SYNOPSIS
        Creates (or updates) a recipient in a folder store with the given userCertificate values and proxy addresses,
        through the store's Core API in a child PowerShell (no recipient cmdlet exists in this module yet).
    #>
    param(
        [Parameter(Mandatory)] [string] $StorePath,
        [Parameter(Mandatory)] [string] $Organization,
        [Parameter(Mandatory)] [string] $Address,
        [System.Security.Cryptography.X509Certificates.X509Certificate2[]] $Certificate = @(),
        [string[]] $ProxyAddress = @()
    )
    $dependencies = Join-Path (Split-Path (Get-Item $env:SMIMEADMIN_TEST_MODULE).FullName) 'dependencies'
    $certificateFile = [IO.Path]::GetTempFileName()
    try {
        Set-Content -Path $certificateFile -Value @($Certificate | ForEach-Object { [Convert]::ToBase64String($_.RawData) })
        $script = @'
param($Dependencies, $StorePath, $Organization, $Address, $CertificateFile, $Proxies)
$ErrorActionPreference = 'Stop'
Add-Type -Path (Join-Path $Dependencies 'BouncyCastle.Cryptography.dll')
Add-Type -Path (Join-Path $Dependencies 'SmimeAdmin.Core.dll')
$certificates = [byte[][]] @(Get-Content $CertificateFile | Where-Object { $_ } | ForEach-Object { , [Convert]::FromBase64String($_) })
$proxyList = [string[]] @($Proxies -split ',' | Where-Object { $_ })
$store = [SmimeAdmin.Core.Store.FileSmimeStore]::new($StorePath, [SmimeAdmin.Core.Store.FileSmimeStoreOptions]::new())
$context = [SmimeAdmin.Core.Store.SmimeAuditContext]::new('tests', 'localhost', 'MessageTests')
$change = [Func[SmimeAdmin.Core.Store.SmimeRecipientDraft, Collections.Generic.IReadOnlyList[SmimeAdmin.Core.Settings.SmimeSettingChange]]] {
    param($draft)
    $changes = [Collections.Generic.List[SmimeAdmin.Core.Settings.SmimeSettingChange]]::new()
    foreach ($changed in @($draft.SetUserCertificates($certificates), $draft.SetProxyAddresses($proxyList))) {
        if ($changed) { $changes.Add($changed) }
    }
    , $changes
}
$null = $store.UpdateRecipient($Organization, $Address, $change, $context, $true, [Threading.CancellationToken]::None)
'@
        $scriptFile = [IO.Path]::ChangeExtension($certificateFile, '.ps1')
        Set-Content -Path $scriptFile -Value $script
        $pwsh = Get-PwshCommand
        $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $scriptFile $dependencies $StorePath $Organization $Address $certificateFile ($ProxyAddress -join ',') 2>&1
        if ($LASTEXITCODE -ne 0) { throw "Could not create the recipient $Address`: $output" }
    } finally {
        Remove-Item $certificateFile, ([IO.Path]::ChangeExtension($certificateFile, '.ps1')) -ErrorAction SilentlyContinue
    }
}

function New-TestMessage {
    <#
    .SYNOPSIS
        Writes a plain text message to -Path and returns the path.
    #>
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string] $From,
        [string[]] $To = @(),
        [string[]] $Cc = @(),
        [string[]] $Bcc = @(),
        [string] $Body = 'The figures are attached as agreed.'
    )
    $lines = @("From: $From")
    if ($To) { $lines += "To: $($To -join ', ')" }
    if ($Cc) { $lines += "Cc: $($Cc -join ', ')" }
    if ($Bcc) { $lines += "Bcc: $($Bcc -join ', ')" }
    $lines += 'Subject: Quarterly figures', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', $Body, ''
    [IO.File]::WriteAllText($Path, ($lines -join "`r`n"))
    $Path
}

function Export-TestPfx {
    # Writes a certificate with its key to a .pfx protected by 'no.secret' (test-only) and returns the path.
    param([Parameter(Mandatory)] $Certificate, [Parameter(Mandatory)] [string] $Path)
    [IO.File]::WriteAllBytes($Path, $Certificate.Export('Pfx', 'no.secret'))
    $Path
}

function Write-TestPem {
    # Writes the certificate and its private key as PEM files for openssl; returns the two paths.
    param([Parameter(Mandatory)] $Certificate, [Parameter(Mandatory)] [string] $Folder, [Parameter(Mandatory)] [string] $Name)
    $certificatePath = Join-Path $Folder "$Name.crt"
    $keyPath = Join-Path $Folder "$Name.key"
    [IO.File]::WriteAllText($certificatePath, "-----BEGIN CERTIFICATE-----`n" + [Convert]::ToBase64String($Certificate.RawData, 'InsertLineBreaks') + "`n-----END CERTIFICATE-----`n")
    $key = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate)
    if (-not $key) { $key = [System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions]::GetECDsaPrivateKey($Certificate) }
    [IO.File]::WriteAllText($keyPath, $key.ExportPkcs8PrivateKeyPem())
    $certificatePath, $keyPath
}
