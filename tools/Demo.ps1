<#
.SYNOPSIS
    The main job of `build.ps1 -Task Demo`: configures an example organization in a fresh embedded store and
    shows its configuration and audit trail.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $StorePath
)

$ErrorActionPreference = 'Stop'
if (Test-Path $StorePath) { Remove-Item -Recurse -Force $StorePath }

Import-Module $ModulePath
Connect-SmimeStore -Path $StorePath -Organization 'contoso.onmicrosoft.com'

Write-Host "`n== A new organization reports Exchange's defaults" -ForegroundColor Cyan
Get-SmimeConfig | Select-Object Identity, ObjectState, OWAEncryptionAlgorithms, OWASigningAlgorithms, OWAClearSign | Format-List | Out-Host

Write-Host '== Set-SmimeConfig -WhatIf shows the change and writes nothing' -ForegroundColor Cyan
Set-SmimeConfig -OWAAlwaysSign $true -WhatIf

Write-Host "`n== A hardened policy: AES-256 then AES-128, SHA-256 or better, CRL checks enforced" -ForegroundColor Cyan
Set-SmimeConfig -OWAEncryptionAlgorithms '6610;660E' -OWASigningAlgorithms '800C;800D;800E' `
    -OWAAlwaysSign $true -OWACheckCRLOnSend $true -OWACRLRetrievalTimeout 15000 `
    -OWAIncludeCertificateChainWithoutRootCertificate $true -OWAIncludeSMIMECapabilitiesInMessage $true

Write-Host '== Setting a value it already has changes nothing' -ForegroundColor Cyan
Set-SmimeConfig -OWAAlwaysSign $true

Write-Host "`n== A weak choice is accepted for parity, with a warning" -ForegroundColor Cyan
Set-SmimeConfig -Identity 'fabrikam.onmicrosoft.com' -OWAEncryptionAlgorithms '6603;6610'

Write-Host "`n== An invalid value is refused and nothing is stored" -ForegroundColor Cyan
try {
    Set-SmimeConfig -OWABCCEncryptedEmailForking 5
} catch {
    Write-Host "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" -ForegroundColor Yellow
}

Write-Host "`n== Get-SmimeConfig | Format-List" -ForegroundColor Cyan
Get-SmimeConfig | Format-List | Out-Host

Write-Host '== Get-SmimeAuditLog' -ForegroundColor Cyan
Get-SmimeAuditLog | Format-Table Organization, Property, OldValue, NewValue -AutoSize | Out-Host

Write-Host '== Get-SmimeStore' -ForegroundColor Cyan
Get-SmimeStore | Format-List | Out-Host
