# Helpers for the message cmdlet tests. Imported inside BeforeAll blocks, never at discovery time.

Import-Module (Join-Path $PSScriptRoot '../tools/Pwsh.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'CertificateFactory.psm1') -Force
Import-Module (Get-TestModulePath)

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

function New-MessageTestPki {
    <#
    .SYNOPSIS
        Creates the message tests' PKI under -Folder and a template store with their recipients; returns a hashtable:
        Root, Intermediate, Alice (RSA signer), Bob (RSA), Carol (EC, key agreement), Dave (RSA, proxy
        d.jones@contoso.com), Stranger (alice@contoso.com from a root outside the collection), OtherRoot,
        AlicePfx, BobPfx, CarolPfx, Password, CaFile, Template (a store folder to copy for each test).
    #>
    param([Parameter(Mandatory)] [string] $Folder)
    New-Item -ItemType Directory -Path $Folder -Force | Out-Null
    $now = [datetime]::UtcNow
    $pki = @{}
    $pki.Root = New-TestCertificate -Name 'Root CA' -CertificateAuthority -NotBefore $now.AddYears(-3) -NotAfter $now.AddYears(10)
    $pki.Intermediate = New-TestCertificate -Name 'Issuing CA' -Issuer $pki.Root -CertificateAuthority -NotBefore $now.AddYears(-2) -NotAfter $now.AddYears(5)
    $pki.Alice = New-TestCertificate -Name 'Alice' -Issuer $pki.Intermediate -Email 'alice@contoso.com'
    $pki.Bob = New-TestCertificate -Name 'Bob' -Issuer $pki.Intermediate -Email 'bob@contoso.com'
    $pki.Carol = New-TestUserCertificate -Name 'Carol' -Issuer $pki.Intermediate -Email 'carol@contoso.com' -KeyType EC -KeyUsage 'DigitalSignature, KeyAgreement'
    $pki.Dave = New-TestCertificate -Name 'Dave' -Issuer $pki.Intermediate -Email 'dave@contoso.com'
    $pki.OtherRoot = New-TestCertificate -Name 'Other Root' -CertificateAuthority -NotBefore $now.AddYears(-1) -NotAfter $now.AddYears(5)
    $pki.Stranger = New-TestCertificate -Name 'Stranger' -Issuer $pki.OtherRoot -Email 'alice@contoso.com'
    $pki.AlicePfx = Export-TestPfx $pki.Alice (Join-Path $Folder 'alice.pfx')
    $pki.BobPfx = Export-TestPfx $pki.Bob (Join-Path $Folder 'bob.pfx')
    $pki.CarolPfx = Export-TestPfx $pki.Carol (Join-Path $Folder 'carol.pfx')
    $pki.Password = ConvertTo-SecureString 'no.secret' -AsPlainText -Force
    $pki.CaFile = Join-Path $Folder 'ca.pem'
    [IO.File]::WriteAllText($pki.CaFile, (ConvertTo-Pem $pki.Root, $pki.Intermediate))

    $pki.Template = Join-Path $Folder 'template'
    Connect-SmimeStore -Path $pki.Template -Organization 'contoso.com'
    Set-SmimeCertificateCollection -Certificate $pki.Root, $pki.Intermediate
    Add-TestRecipient -StorePath $pki.Template -Organization 'contoso.com' -Recipient @(
        @{ Address = 'bob@contoso.com'; Certificate = $pki.Bob }
        @{ Address = 'carol@contoso.com'; Certificate = $pki.Carol }
        @{ Address = 'dave@contoso.com'; Certificate = $pki.Dave; ProxyAddress = 'd.jones@contoso.com' }
        @{ Address = 'stranger@contoso.com'; Certificate = $pki.Stranger }
    )
    $pki
}

function Connect-MessageTestStore {
    # Connects to a fresh copy of the template store of New-MessageTestPki; returns its path.
    param([Parameter(Mandatory)] [hashtable] $Pki, [Parameter(Mandatory)] [string] $Folder)
    $store = Join-Path $Folder ([guid]::NewGuid())
    Copy-Item -Path $Pki.Template -Destination $store -Recurse
    Connect-SmimeStore -Path $store -Organization 'contoso.com'
    $store
}
