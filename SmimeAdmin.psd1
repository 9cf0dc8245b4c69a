@{
    RootModule             = 'SmimeAdmin.dll'
    ModuleVersion          = '{{ModuleVersion}}'
    GUID                   = '5b0f4f55-1d3a-4c36-9d0e-6f2a7c8e9b41'
    Author                 = 'SmimeAdmin contributors'
    CompanyName            = 'SmimeAdmin'
    Copyright              = '(c) SmimeAdmin contributors. MIT License.'
    Description            = "Exchange's S/MIME administration on any machine: Get-/Set-SmimeConfig with Exchange parity, the organization's virtual certificate collection, users' certificates, and policy-driven signing and encryption."
    CompatiblePSEditions   = @('Desktop', 'Core')
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('SmimeAdmin.format.ps1xml')
    CmdletsToExport        = @(
        'Compare-SmimeConfig'
        'Connect-SmimeStore'
        'Export-SmimeCertificateCollection'
        'Export-SmimeConfig'
        'Get-SmimeAuditLog'
        'Get-SmimeCertificateCollection'
        'Get-SmimeConfig'
        'Get-SmimeStore'
        'Get-UserSmimeCertificate'
        'Import-SmimeConfig'
        'Protect-SmimeMessage'
        'Publish-UserSmimeCertificate'
        'Remove-SmimeCertificateCollectionEntry'
        'Set-SmimeCertificateCollection'
        'Set-SmimeConfig'
        'Sync-UserSmimeCertificate'
        'Test-SmimeCertificate'
        'Test-SmimeConfig'
        'Test-SmimeMessage'
        'Unprotect-SmimeMessage'
        'Unpublish-UserSmimeCertificate'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags       = @('SMIME', 'S/MIME', 'Exchange', 'PKI', 'Certificates', 'Email')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
