# Helpers for the message cmdlet tests. Imported inside BeforeAll blocks, never at discovery time.

Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'CertificateFactory.psm1') -Force
Import-Module (Get-TestModulePath)

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
        Creates the message tests' PKI under -Folder; returns a hashtable: Root, Intermediate, Alice (RSA signer), Bob
        (RSA), Carol (EC, key agreement), Dave (RSA), Stranger (alice@contoso.com from a root outside the collection),
        OtherRoot, AlicePfx, BobPfx, CarolPfx, Password, CaFile.
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
    $pki
}

function Connect-MessageTestStore {
    <#
    .SYNOPSIS
        Connects to a fresh store from Connect-TestStore with the PKI's root and intermediate as its collection and
        the recipients' certificates published: bob@, carol@, dave@ (proxy d.jones@contoso.com) and stranger@contoso.com,
        whose certificate (Stranger's) does not validate and is published with -Force. Returns the store's location.
    #>
    param([Parameter(Mandatory)] [hashtable] $Pki)
    $store = Connect-TestStore
    Set-SmimeCertificateCollection -Certificate $Pki.Root, $Pki.Intermediate
    Add-TestRecipient -Store $store -Address 'bob@contoso.com', 'carol@contoso.com', 'stranger@contoso.com'
    Add-TestRecipient -Store $store -Address 'dave@contoso.com' -ProxyAddress 'd.jones@contoso.com'
    Publish-UserSmimeCertificate 'bob@contoso.com' -Certificate $Pki.Bob -Attribute UserCertificate
    Publish-UserSmimeCertificate 'carol@contoso.com' -Certificate $Pki.Carol -Attribute UserCertificate
    Publish-UserSmimeCertificate 'dave@contoso.com' -Certificate $Pki.Dave -Attribute UserCertificate -EmailAddresses 'd.jones@contoso.com'
    Publish-UserSmimeCertificate 'stranger@contoso.com' -Certificate $Pki.Stranger -Attribute UserCertificate -Force -WarningAction SilentlyContinue
    $store
}
