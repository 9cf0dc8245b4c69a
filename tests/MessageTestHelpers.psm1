# Helpers for the message cmdlet tests. Imported inside BeforeAll blocks, never at discovery time.

Import-Module (Join-Path $PSScriptRoot '../tools/Pwsh.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

function Add-TestRecipient {
    <#
    .SYNOPSIS
        Creates (or updates) recipients in a folder store with their userCertificate values and proxy addresses,
        through the store's Core API in one child PowerShell (no recipient cmdlet exists in this module yet).
    .PARAMETER Recipient
        Hashtables with Address, Certificate (X509Certificate2[]) and optionally ProxyAddress (string[]).
    #>
    param(
        [Parameter(Mandatory)] [string] $StorePath,
        [Parameter(Mandatory)] [string] $Organization,
        [Parameter(Mandatory)] [hashtable[]] $Recipient
    )
    $dependencies = Join-Path (Split-Path (Get-Item (Get-TestModulePath)).FullName) 'dependencies'
    $specFile = [IO.Path]::GetTempFileName()
    $scriptFile = [IO.Path]::ChangeExtension($specFile, '.ps1')
    try {
        $specs = @($Recipient | ForEach-Object {
                @{
                    Address      = $_.Address
                    Certificates = @($_.Certificate | ForEach-Object { [Convert]::ToBase64String($_.RawData) })
                    Proxies      = @($_.ProxyAddress | Where-Object { $_ })
                }
            })
        ConvertTo-Json -InputObject $specs -Depth 4 | Set-Content -Path $specFile
        Set-Content -Path $scriptFile -Value @'
param($Dependencies, $StorePath, $Organization, $SpecFile)
$ErrorActionPreference = 'Stop'
Add-Type -Path (Join-Path $Dependencies 'BouncyCastle.Cryptography.dll')
Add-Type -Path (Join-Path $Dependencies 'SmimeAdmin.Core.dll')
$store = [SmimeAdmin.Core.Store.FileSmimeStore]::new($StorePath, [SmimeAdmin.Core.Store.FileSmimeStoreOptions]::new())
$context = [SmimeAdmin.Core.Store.SmimeAuditContext]::new('tests', 'localhost', 'MessageTests')
foreach ($spec in (Get-Content -Raw $SpecFile | ConvertFrom-Json)) {
    $certificates = [byte[][]] @($spec.Certificates | ForEach-Object { , [Convert]::FromBase64String($_) })
    $proxies = [string[]] @($spec.Proxies)
    $change = [Func[SmimeAdmin.Core.Store.SmimeRecipientDraft, Collections.Generic.IReadOnlyList[SmimeAdmin.Core.Settings.SmimeSettingChange]]] {
        param($draft)
        $changes = [Collections.Generic.List[SmimeAdmin.Core.Settings.SmimeSettingChange]]::new()
        foreach ($changed in @($draft.SetUserCertificates($certificates), $draft.SetProxyAddresses($proxies))) {
            if ($changed) { $changes.Add($changed) }
        }
        , $changes
    }.GetNewClosure()
    $null = $store.UpdateRecipient($Organization, $spec.Address, $change, $context, $true, [Threading.CancellationToken]::None)
}
'@
        $pwsh = Get-PwshCommand
        $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $scriptFile $dependencies $StorePath $Organization $specFile 2>&1
        if ($LASTEXITCODE -ne 0) { throw "Could not create the recipients: $output" }
    } finally {
        Remove-Item $specFile, $scriptFile -ErrorAction SilentlyContinue
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
