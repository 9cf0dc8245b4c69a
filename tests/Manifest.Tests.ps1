BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $manifestPath = Get-TestModulePath
    $moduleFolder = Split-Path $manifestPath
    Import-Module $manifestPath -Force
    $expectedCmdlets = @(
        'Compare-SmimeConfig', 'Connect-SmimeStore', 'Export-SmimeCertificateCollection', 'Export-SmimeConfig',
        'Get-SmimeAuditLog', 'Get-SmimeCertificateCollection', 'Get-SmimeConfig', 'Get-SmimeStore',
        'Get-UserSmimeCertificate', 'Import-SmimeConfig', 'Protect-SmimeMessage', 'Publish-UserSmimeCertificate',
        'Remove-SmimeCertificateCollectionEntry', 'Set-SmimeCertificateCollection', 'Set-SmimeConfig',
        'Sync-UserSmimeCertificate', 'Test-SmimeCertificate', 'Test-SmimeConfig', 'Test-SmimeMessage',
        'Unprotect-SmimeMessage', 'Unpublish-UserSmimeCertificate'
    )
}

Describe 'The staged module' {
    It 'has a valid manifest whose version is the assembly''s file version' {
        $manifest = Test-ModuleManifest -Path $manifestPath
        $fileVersion = [version] (Get-Item (Join-Path $moduleFolder 'SmimeAdmin.dll')).VersionInfo.FileVersion
        $manifest.Version | Should -Be ([version]::new($fileVersion.Major, $fileVersion.Minor, $fileVersion.Build))
        $fileVersion.Revision | Should -Be 0
    }

    It 'declares both editions and Windows PowerShell 5.1 as the minimum' {
        $data = Import-PowerShellDataFile $manifestPath
        $data.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $data.PowerShellVersion | Should -Be '5.1'
        $data.FunctionsToExport.Count | Should -Be 0
        $data.AliasesToExport.Count | Should -Be 0
        $data.VariablesToExport.Count | Should -Be 0
    }

    It 'exports exactly the cmdlets the assembly implements' {
        $data = Import-PowerShellDataFile $manifestPath
        $implemented = [SmimeAdmin.SmimeConfig].Assembly.GetExportedTypes() |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { "$($_.VerbName)-$($_.NounName)" }
        $data.CmdletsToExport | Sort-Object | Should -Be ($implemented | Sort-Object)
        (Get-Command -Module SmimeAdmin).Name | Sort-Object | Should -Be $expectedCmdlets
    }

    It 'ships SmimeAdmin.dll alone at the top and everything else under dependencies/' {
        (Get-ChildItem $moduleFolder -Filter '*.dll').Name | Should -Be @('SmimeAdmin.dll')
        (Get-ChildItem (Join-Path $moduleFolder 'dependencies') -Filter '*.dll').Name | Should -Contain 'SmimeAdmin.Core.dll'
        Get-ChildItem $moduleFolder -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }

    It 'loads SmimeAdmin.Core into its own load context, from dependencies/' {
        Get-SmimeStore | Out-Null
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SmimeAdmin.Core' }
        $core | Should -HaveCount 1
        $core.Location | Should -BeExactly (Join-Path $moduleFolder 'dependencies/SmimeAdmin.Core.dll')
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core).Name | Should -BeExactly 'SmimeAdmin'
    }

    It 'loads BouncyCastle into the same private load context when certificates are read' {
        $scratch = Join-Path $TestDrive 'isolation'
        Connect-SmimeStore -Path $scratch
        Import-Module (Join-Path $PSScriptRoot 'CertificateFactory.psm1') -Force
        New-TestCertificate -Name 'Isolation Root' -CertificateAuthority | Set-SmimeCertificateCollection
        (Get-SmimeCertificateCollection).Subject | Should -BeLike 'CN=Isolation Root*'
        $bouncyCastle = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'BouncyCastle.Cryptography' }
        $bouncyCastle | Should -HaveCount 1
        $bouncyCastle.Location | Should -BeExactly (Join-Path $moduleFolder 'dependencies/BouncyCastle.Cryptography.dll')
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($bouncyCastle).Name | Should -BeExactly 'SmimeAdmin'
    }

    It 'loads MimeKit into the same private load context when a message is signed' {
        $scratch = Join-Path $TestDrive 'isolation-messages'
        Connect-SmimeStore -Path $scratch
        Import-Module (Join-Path $PSScriptRoot 'CertificateFactory.psm1') -Force
        $root = New-TestCertificate -Name 'Isolation Message Root' -CertificateAuthority -NotAfter ([datetime]::UtcNow.AddYears(2))
        $signer = New-TestCertificate -Name 'Isolation Signer' -Issuer $root -Email 'signer@contoso.com'
        Set-SmimeCertificateCollection -Certificate $root
        Set-SmimeConfig -OWADisableCRLCheck $true
        $message = "From: signer@contoso.com`r`nTo: someone@contoso.com`r`nSubject: Isolation`r`n`r`nHello.`r`n"
        (Protect-SmimeMessage -Message $message -Sign -SignerCertificate $signer | Test-SmimeMessage).IsValid | Should -BeTrue
        $mimeKit = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'MimeKit' }
        $mimeKit | Should -HaveCount 1
        $mimeKit.Location | Should -BeExactly (Join-Path $moduleFolder 'dependencies/MimeKit.dll')
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($mimeKit).Name | Should -BeExactly 'SmimeAdmin'
    }

    It 'has a format view for every output type of its own' {
        $formatFile = Join-Path $moduleFolder 'SmimeAdmin.format.ps1xml'
        $viewed = ([xml] (Get-Content -Raw $formatFile)).Configuration.ViewDefinitions.View.ViewSelectedBy.TypeName
        $outputTypes = foreach ($name in $expectedCmdlets) { (Get-Command $name).OutputType.Name | Where-Object { $_ -like 'SmimeAdmin.*' } }
        $outputTypes | Should -Not -BeNullOrEmpty
        $outputTypes | Sort-Object -Unique | ForEach-Object { $viewed | Should -Contain $_ }
    }
}
