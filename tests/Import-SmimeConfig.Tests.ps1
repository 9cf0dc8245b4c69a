BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CertificateFactory.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    $root = New-TestCertificate -Name 'Root CA' -CertificateAuthority
    $intermediate = New-TestCertificate -Name 'Issuing CA' -Issuer $root -CertificateAuthority -NotAfter ([datetime]::UtcNow.AddDays(300))
    $otherRoot = New-TestCertificate -Name 'Other Root' -CertificateAuthority
    $expiredRoot = New-TestCertificate -Name 'Expired Root' -CertificateAuthority -NotBefore ([datetime]::UtcNow.AddYears(-3)) -NotAfter ([datetime]::UtcNow.AddDays(-1))

    function Set-Contoso {
        Set-SmimeConfig -Identity 'contoso.com' -OWAAlwaysSign $true -OWASigningAlgorithms '800E;800C' -OWABCCEncryptedEmailForking 2 -NoSignOnReply $false
        $root, $intermediate | Set-SmimeCertificateCollection -Identity 'contoso.com'
    }

    # Edits an exported file as an administrator would: through ConvertFrom-Json and back.
    function Edit-ConfigFile([string] $Path, [scriptblock] $Edit) {
        $document = Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json
        & $Edit $document
        $document | ConvertTo-Json -Depth 8 | Set-Content -LiteralPath $Path
    }
}

Describe 'Export-SmimeConfig' {
    BeforeEach {
        $store = Connect-TestStore
        $file = Join-Path $TestDrive "$([guid]::NewGuid()).json"
    }

    It 'writes every setting on its own line, sorted, with a schema version and the collection as PEM' {
        Set-Contoso
        $result = Export-SmimeConfig -Path $file

        $result | Should -BeOfType ([System.IO.FileInfo])
        $result.FullName | Should -Be $file
        $lines = Get-Content -LiteralPath $file
        $settingLines = @($lines | Where-Object { $_ -match '^    "(OWA\w+|NoSignOnReply)": ' })
        $settingLines.Count | Should -Be 25
        $names = $settingLines | ForEach-Object { ($_ -split '"')[1] }
        $sorted = [string[]] $names.Clone()
        [Array]::Sort($sorted, [StringComparer]::Ordinal)
        $names | Should -Be $sorted -Because 'settings are sorted by ordinal comparison'
        $lines | Should -Contain '    "OWASigningAlgorithms": "800E;800C",'
        $lines | Should -Contain '    "OWAAlwaysSign": true,'
        $lines | Should -Contain '    "OWABCCEncryptedEmailForking": 2,'
        $document = Get-Content -LiteralPath $file -Raw | ConvertFrom-Json
        $document.format | Should -BeExactly 'SmimeAdmin.Config'
        $document.schemaVersion | Should -Be 1
        $document.organization | Should -BeExactly 'contoso.com'
        $document.certificateCollection.certificates.thumbprint | Should -Be @($root.Thumbprint, $intermediate.Thumbprint)
        $pem = $document.certificateCollection.certificates[1].pem -join "`n"
        [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem($pem).Thumbprint | Should -Be $intermediate.Thumbprint
        $document.PSObject.Properties.Name | Should -Not -Contain 'recipients'
    }

    It 'writes the same bytes for the same state, so that exports diff cleanly' {
        Set-Contoso
        Export-SmimeConfig -Path $file
        Export-SmimeConfig -Path "$file.2"
        (Get-FileHash $file).Hash | Should -Be (Get-FileHash "$file.2").Hash
    }

    It 'lists the published recipients with -IncludeUsers (none in a new organization)' {
        Export-SmimeConfig -Path $file -IncludeUsers
        $document = Get-Content -LiteralPath $file -Raw | ConvertFrom-Json
        $document.PSObject.Properties.Name | Should -Contain 'recipients'
        @($document.recipients).Count | Should -Be 0
    }

    It 'exports the organization piped in, or the one named' {
        Set-SmimeConfig -Identity 'fabrikam.com' -OWAAlwaysEncrypt $true
        Get-SmimeConfig -Identity 'fabrikam.com' | Export-SmimeConfig -Path $file
        (Get-Content -LiteralPath $file -Raw | ConvertFrom-Json).settings.OWAAlwaysEncrypt | Should -BeTrue
    }

    It 'reports a file that cannot be written' {
        $unwritable = Join-Path $TestDrive 'no-such-folder/contoso.json'
        $caught = { Export-SmimeConfig -Path $unwritable } | Should -Throw -ErrorId 'ExportFailed,SmimeAdmin.Commands.ExportSmimeConfigCommand' -PassThru
        $caught.TargetObject | Should -Be $unwritable
        $caught.CategoryInfo.Category | Should -Be 'WriteError'
    }

    It 'refuses to overwrite with -NoClobber and writes nothing with -WhatIf' {
        Set-Content -LiteralPath $file -Value 'keep'
        { Export-SmimeConfig -Path $file -NoClobber } | Should -Throw -ErrorId 'FileExists,SmimeAdmin.Commands.ExportSmimeConfigCommand'
        Get-Content -LiteralPath $file | Should -Be 'keep'
        Export-SmimeConfig -Path "$file.new" -WhatIf
        "$file.new" | Should -Not -Exist
    }
}

Describe 'Import-SmimeConfig' {
    BeforeEach {
        $store = Connect-TestStore
        $file = Join-Path $TestDrive "$([guid]::NewGuid()).json"
    }

    Context 'round trip' {
        It 'export, import into a new organization, and Test-SmimeConfig against the export returns nothing' {
            Set-Contoso
            Export-SmimeConfig -Path $file

            Import-SmimeConfig -Path $file -Identity 'fabrikam.com'

            Test-SmimeConfig -Identity 'fabrikam.com' -Baseline $file | Should -BeNullOrEmpty
            Compare-SmimeConfig -ReferenceIdentity 'contoso.com' -DifferenceIdentity 'fabrikam.com' | Should -BeNullOrEmpty
            (Get-SmimeCertificateCollection -Identity 'fabrikam.com').Thumbprint | Should -Be @($root.Thumbprint, $intermediate.Thumbprint)
            (Get-SmimeConfig -Identity 'fabrikam.com').OWASigningAlgorithms | Should -BeExactly '800E;800C'
        }

        It 'stores everything as one audited change and returns the configuration with -PassThru' {
            Set-Contoso
            Export-SmimeConfig -Path $file

            $result = Import-SmimeConfig -Path $file -Identity 'fabrikam.com' -PassThru

            $result.PSObject.TypeNames[0] | Should -BeExactly 'SmimeAdmin.SmimeConfig'
            $result.NoSignOnReply | Should -BeFalse
            $entries = @(Get-SmimeAuditLog -Identity 'fabrikam.com')
            $entries.Property | Should -Be @('NoSignOnReply', 'OWAAlwaysSign', 'OWABCCEncryptedEmailForking', 'OWASigningAlgorithms', 'SMIMECertificateIssuingCA')
            $entries.Command | Select-Object -Unique | Should -BeExactly 'Import-SmimeConfig'
            @($entries.TimeUtc | Select-Object -Unique).Count | Should -Be 1
            (Get-TestConfigDocument -Store $store -Organization 'fabrikam.com').revision | Should -Be 1 -Because 'the settings and the collection are stored in one change'
        }

        It 'changes only the settings a partial file names' {
            Set-SmimeConfig -OWAAlwaysEncrypt $true
            Set-Content -LiteralPath $file -Value '{ "format": "SmimeAdmin.Config", "schemaVersion": 1, "settings": { "OWAClearSign": false } }'
            Import-SmimeConfig -Path $file
            $config = Get-SmimeConfig
            $config.OWAClearSign | Should -BeFalse
            $config.OWAAlwaysEncrypt | Should -BeTrue
        }

        It 'warns that nothing changed when the organization already matches' {
            Set-Contoso
            Export-SmimeConfig -Path $file -Identity 'contoso.com'
            Import-SmimeConfig -Path $file -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -HaveCount 1
            "$warnings" | Should -BeLike '*no settings of*have been modified*'
        }

        It 'warns about weak algorithms as Set-SmimeConfig does, and still applies them' {
            Set-Content -LiteralPath $file -Value '{ "format": "SmimeAdmin.Config", "schemaVersion": 1, "settings": { "OWAEncryptionAlgorithms": "6603" } }'
            Import-SmimeConfig -Path $file -WarningVariable warnings -WarningAction SilentlyContinue
            "$warnings" | Should -BeLike '*6603*'
            (Get-SmimeConfig).OWAEncryptionAlgorithms | Should -BeExactly '6603'
        }
    }

    Context 'all or nothing' {
        It 'lists every invalid value and the expired certificate, and stores nothing' {
            Set-Contoso
            Export-SmimeConfig -Path $file
            $expiredPem = (ConvertTo-Pem $expiredRoot).Trim() -split "`r?`n"
            Edit-ConfigFile $file {
                param($document)
                $document.settings.OWAAlwaysSign = 'yes'
                $document.settings.OWABCCEncryptedEmailForking = 9
                $document.settings.OWASigningAlgorithms = '80ZZ'
                $document.settings | Add-Member -NotePropertyName 'OWANoSuchSetting' -NotePropertyValue $true
                $document.certificateCollection.certificates += [pscustomobject]@{ pem = $expiredPem; thumbprint = $expiredRoot.Thumbprint }
            }
            Set-SmimeConfig -Identity 'fabrikam.com' -OWAAlwaysEncrypt $true
            $before = Get-StoreSnapshot $store

            $caught = { Import-SmimeConfig -Path $file -Identity 'fabrikam.com' } | Should -Throw -ErrorId 'InvalidConfig,SmimeAdmin.Commands.ImportSmimeConfigCommand' -PassThru

            $caught.CategoryInfo.Category | Should -Be 'InvalidData'
            $problems = $caught.TargetObject
            $problems.Setting | Should -Be @('OWAAlwaysSign', 'OWABCCEncryptedEmailForking', 'OWASigningAlgorithms', 'OWANoSuchSetting', 'SMIMECertificateIssuingCA')
            $problems.Reason | Should -Be @('InvalidSettingValue', 'InvalidSettingValue', 'InvalidSettingValue', 'UnknownSetting', 'CertificateExpired')
            $problems[1].Value | Should -Be 9
            $problems[4].Value | Should -Be $expiredRoot.Thumbprint
            foreach ($problem in $problems) { $caught.Exception.Message | Should -BeLike "*$($problem.Setting)*" }
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'refuses a collection entry that is only a thumbprint, or whose PEM was swapped' {
            Set-Contoso
            Export-SmimeConfig -Path $file
            Edit-ConfigFile $file {
                param($document)
                $document.certificateCollection.certificates[0].PSObject.Properties.Remove('pem')
                $document.certificateCollection.certificates[1].pem = (ConvertTo-Pem $otherRoot).Trim() -split "`r?`n"
            }
            $before = Get-StoreSnapshot $store

            $caught = { Import-SmimeConfig -Path $file } | Should -Throw -ErrorId 'InvalidConfig,SmimeAdmin.Commands.ImportSmimeConfigCommand' -PassThru

            $caught.TargetObject.Reason | Should -Be @('CertificateMissing', 'ThumbprintMismatch')
            $caught.TargetObject.Value | Should -Be @($root.Thumbprint, $intermediate.Thumbprint)
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'refuses an intermediate without its root, as Set-SmimeCertificateCollection does' {
            Set-Contoso
            Export-SmimeConfig -Path $file
            Edit-ConfigFile $file { param($document) $document.certificateCollection.certificates = @($document.certificateCollection.certificates[1]) }
            $before = Get-StoreSnapshot $store
            $caught = { Import-SmimeConfig -Path $file -Identity 'fabrikam.com' } | Should -Throw -ErrorId 'InvalidConfig,SmimeAdmin.Commands.ImportSmimeConfigCommand' -PassThru
            $caught.TargetObject.Reason | Should -Be 'IssuerNotInCollection'
            Get-StoreSnapshot $store | Should -Be $before
            (Get-SmimeStore).Organizations | Should -Not -Contain 'fabrikam.com'
        }

        It 'writes nothing with -WhatIf' {
            Set-Contoso
            Export-SmimeConfig -Path $file
            $before = Get-StoreSnapshot $store
            Import-SmimeConfig -Path $file -Identity 'fabrikam.com' -WhatIf
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'supports -WhatIf and -Confirm' {
            $cmdlet = (Get-Command Import-SmimeConfig).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            $cmdlet.SupportsShouldProcess | Should -BeTrue
        }
    }

    Context 'bad files' {
        It 'reports a file that is not JSON, with the file as target' {
            Set-Content -LiteralPath $file -Value 'format = 1'
            $caught = { Import-SmimeConfig -Path $file } | Should -Throw -ErrorId 'InvalidConfigFile,SmimeAdmin.Commands.ImportSmimeConfigCommand' -PassThru
            $caught.TargetObject | Should -Be $file
            $caught.CategoryInfo.Category | Should -Be 'InvalidData'
        }

        It 'reports a file of a newer schema version, naming both versions' {
            Set-Content -LiteralPath $file -Value '{ "format": "SmimeAdmin.Config", "schemaVersion": 7, "settings": {} }'
            $caught = { Import-SmimeConfig -Path $file } | Should -Throw -ErrorId 'InvalidConfigFile,SmimeAdmin.Commands.ImportSmimeConfigCommand' -PassThru
            $caught.Exception.Message | Should -BeLike '*schemaVersion 7*reads up to 1*'
        }

        It 'reports a path that matches no file' {
            $missing = Join-Path $TestDrive 'missing.json'
            Import-SmimeConfig -Path $missing -ErrorAction SilentlyContinue -ErrorVariable failure
            $failure[0].FullyQualifiedErrorId | Should -BeExactly 'PathNotFound,SmimeAdmin.Commands.ImportSmimeConfigCommand'
            $failure[0].TargetObject | Should -Be $missing
        }

        It 'refuses a wildcard that matches several files' {
            Set-Content -LiteralPath (Join-Path $TestDrive 'many-1.json') -Value '{}'
            Set-Content -LiteralPath (Join-Path $TestDrive 'many-2.json') -Value '{}'
            $pattern = Join-Path $TestDrive 'many-*.json'
            $caught = { Import-SmimeConfig -Path $pattern } | Should -Throw -ErrorId 'PathAmbiguous,SmimeAdmin.Commands.ImportSmimeConfigCommand' -PassThru
            $caught.TargetObject | Should -Be $pattern
            $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
    }
}
