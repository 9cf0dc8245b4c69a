BeforeDiscovery {
    $parity = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'ExchangeParity.psd1')

    # A value other than the default for every setting, and what Get-SmimeConfig must then report.
    $roundTrips = foreach ($setting in $parity.Settings) {
        switch ($setting.Type) {
            'Boolean' { @{ Name = $setting.Name; Value = -not $setting.Default; Expected = -not $setting.Default } }
            'UInt32' {
                $value = if ($setting.Name -eq 'OWABCCEncryptedEmailForking') { [uint32] 2 } else { [uint32]::MaxValue }
                @{ Name = $setting.Name; Value = $value; Expected = $value }
            }
        }
    }
    $roundTrips += @(
        @{ Name = 'OWAEncryptionAlgorithms'; Value = '660e; 6610 ;6602:128'; Expected = '660E;6610;6602:128' }
        @{ Name = 'OWAEncryptionAlgorithms'; Value = '6603,1.2.840.113549.3.7'; Expected = '6603,1.2.840.113549.3.7' }
        @{ Name = 'OWASigningAlgorithms'; Value = '800E;800d;800C'; Expected = '800E;800D;800C' }
        @{ Name = 'OWASenderCertificateAttributesToDisplay'; Value = '2.5.4.3, 2.5.4.10;1.2.840.113549.1.9.1'; Expected = '2.5.4.3,2.5.4.10,1.2.840.113549.1.9.1' }
        @{ Name = 'OWABCCEncryptedEmailForking'; Value = [uint32] 1; Expected = [uint32] 1 }
        @{ Name = 'OWACRLConnectionTimeout'; Value = [uint32] 0; Expected = [uint32] 0 }
    )

    $invalidValues = @(
        @{ Name = 'OWABCCEncryptedEmailForking'; Value = [uint32] 3; Accepts = 'from 0 to 2' }
        @{ Name = 'OWAEncryptionAlgorithms'; Value = 'AES256'; Accepts = '6610 (AES-256-CBC)' }
        @{ Name = 'OWAEncryptionAlgorithms'; Value = '6610;;660E'; Accepts = "'id:keylength'" }
        @{ Name = 'OWAEncryptionAlgorithms'; Value = '8004'; Accepts = '660E (AES-128-CBC)' }
        @{ Name = 'OWAEncryptionAlgorithms'; Value = '6602:100'; Accepts = 'key length 40, 56, 64, 128' }
        @{ Name = 'OWAEncryptionAlgorithms'; Value = '6603,not-an-oid'; Accepts = "'id,OID'" }
        @{ Name = 'OWAEncryptionAlgorithms'; Value = '6610;6610'; Accepts = "'id'" }
        @{ Name = 'OWASigningAlgorithms'; Value = '6610'; Accepts = '800C (SHA-256)' }
        @{ Name = 'OWASigningAlgorithms'; Value = '800C:128'; Accepts = '800E (SHA-512)' }
        @{ Name = 'OWASenderCertificateAttributesToDisplay'; Value = '2.5.4.3,CN'; Accepts = 'dotted-decimal object identifiers' }
    )

    # Values PowerShell's parameter binder refuses for the parameter's .NET type, as it does for Exchange's cmdlet.
    $unbindable = @(
        @{ Name = 'OWAAlwaysSign'; Value = 'yes'; ErrorId = 'CannotConvertArgument' }
        @{ Name = 'OWACRLConnectionTimeout'; Value = -1; ErrorId = 'CannotConvertArgumentNoMessage' }
        @{ Name = 'OWACRLRetrievalTimeout'; Value = 4294967296; ErrorId = 'CannotConvertArgumentNoMessage' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $parity = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'ExchangeParity.psd1')
    $commandName = 'SmimeAdmin.Commands.SetSmimeConfigCommand'
    $noChangeWarning = "The command completed successfully but no settings of 'contoso.onmicrosoft.com\Smime Configuration' have been modified."
}

Describe 'Set-SmimeConfig' {
    BeforeEach {
        $store = Connect-TestStore -Organization 'contoso.onmicrosoft.com'
    }

    Context 'parameters, as Exchange declares them' {
        It 'has -SMIMECertificateIssuingCA of type Byte[]' {
            (Get-Command Set-SmimeConfig).Parameters['SMIMECertificateIssuingCA'].ParameterType | Should -Be ([byte[]])
        }

        It 'has -<Name> of type <Type>' -ForEach $parity.Settings {
            $parameter = (Get-Command Set-SmimeConfig).Parameters[$Name]
            $parameter | Should -Not -BeNullOrEmpty
            $parameter.ParameterType | Should -Be ([type] "System.$Type")
            $parameter.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).Mandatory | Should -Not -Contain $true
        }

        It 'has no parameter beyond Exchange''s and -PassThru' {
            $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
            $own = (Get-Command Set-SmimeConfig).Parameters.Keys | Where-Object { $_ -notin $common }
            $expected = @($parity.Settings.Name) + 'Identity', 'SMIMECertificateIssuingCA', 'PassThru'
            $own | Sort-Object | Should -Be ($expected | Sort-Object)
        }

        It 'takes -Identity at position 0, by value and by property name' {
            $attribute = (Get-Command Set-SmimeConfig).Parameters['Identity'].Attributes |
                Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
            $attribute.Position | Should -Be 0
            $attribute.ValueFromPipeline | Should -BeTrue
            $attribute.ValueFromPipelineByPropertyName | Should -BeTrue
        }

        It 'supports -WhatIf and -Confirm at the default (Medium) impact' {
            $cmdlet = (Get-Command Set-SmimeConfig).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            $cmdlet.SupportsShouldProcess | Should -BeTrue
            $cmdlet.ConfirmImpact | Should -Be 'Medium'
        }
    }

    Context 'round trip' {
        It 'stores -<Name> <Value> and Get-SmimeConfig reports <Expected>' -ForEach $roundTrips {
            $arguments = @{ $Name = $Value }
            Set-SmimeConfig @arguments
            $config = Get-SmimeConfig
            $config.$Name | Should -BeExactly $Expected
            $config.$Name | Should -BeOfType ([type] ($parity.Settings | Where-Object Name -eq $Name).Type)
        }

        It 'changes only the parameters named, keeping every other stored value' {
            Set-SmimeConfig -OWAAlwaysSign $true -OWACRLRetrievalTimeout 5
            Set-SmimeConfig -OWAAlwaysEncrypt $true
            $config = Get-SmimeConfig
            $config.OWAAlwaysSign | Should -BeTrue
            $config.OWACRLRetrievalTimeout | Should -Be 5
            $config.OWAAlwaysEncrypt | Should -BeTrue
            $config.OWAClearSign | Should -BeTrue
        }

        It 'resets <_> to its default when given $null or an empty string' -ForEach 'OWAEncryptionAlgorithms', 'OWASigningAlgorithms', 'OWASenderCertificateAttributesToDisplay' {
            $custom = @{ OWAEncryptionAlgorithms = '660E'; OWASigningAlgorithms = '800C'; OWASenderCertificateAttributesToDisplay = '2.5.4.3' }
            $default = ($parity.Settings | Where-Object Name -eq $_).Default
            foreach ($reset in $null, '') {
                $customValue = @{ $_ = $custom[$_] }
                $resetValue = @{ $_ = $reset }
                Set-SmimeConfig @customValue
                (Get-SmimeConfig).$_ | Should -BeExactly $custom[$_]
                Set-SmimeConfig @resetValue
                (Get-SmimeConfig).$_ | Should -BeExactly $default
            }
        }

        It 'writes nothing and returns nothing without -PassThru' {
            Set-SmimeConfig -OWAAlwaysSign $true | Should -BeNullOrEmpty
        }

        It 'returns the updated configuration with -PassThru' {
            $result = Set-SmimeConfig -OWAAlwaysSign $true -PassThru
            $result.PSObject.TypeNames[0] | Should -BeExactly 'SmimeAdmin.SmimeConfig'
            $result.OWAAlwaysSign | Should -BeTrue
            $result.ObjectState | Should -BeExactly 'Unchanged'
        }

        It 'changes the organization piped in from Get-SmimeConfig' {
            Get-SmimeConfig -Identity 'fabrikam.com' | Set-SmimeConfig -OWAAlwaysSign $true
            (Get-SmimeConfig -Identity 'fabrikam.com').OWAAlwaysSign | Should -BeTrue
            (Get-SmimeConfig).OWAAlwaysSign | Should -BeFalse
        }

        It 'changes every organization piped in by name' {
            'a.example', 'b.example' | Set-SmimeConfig -OWAOnlyUseSmartCard $true
            (Get-SmimeConfig -Identity 'a.example').OWAOnlyUseSmartCard | Should -BeTrue
            (Get-SmimeConfig -Identity 'b.example').OWAOnlyUseSmartCard | Should -BeTrue
        }
    }

    Context 'invalid values' {
        BeforeEach {
            Set-SmimeConfig -OWAAlwaysSign $true -OWAEncryptionAlgorithms '660E'
            $before = Get-StoreSnapshot $store
        }

        It 'refuses -<Name> ''<Value>'' naming the parameter, the value and what is accepted, and stores nothing' -ForEach $invalidValues {
            $arguments = @{ $Name = $Value }
            $record = { Set-SmimeConfig @arguments } | Should -Throw -ErrorId "InvalidSettingValue,$commandName" -PassThru
            $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $record.TargetObject | Should -Be $Value
            $record.Exception.Message | Should -BeLike "*'$Value'*$Name*"
            $record.Exception.Message | Should -BeLike "*$Accepts*"
            $record.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'lets PowerShell''s binder refuse -<Name> <Value> for its .NET type, storing nothing' -ForEach $unbindable {
            $arguments = @{ $Name = $Value }
            $record = { Set-SmimeConfig @arguments } | Should -Throw -ErrorId "$ErrorId,$commandName" -PassThru
            $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $record.Exception.Message | Should -BeLike "*$Name*"
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'applies none of the values when one of them is invalid' {
            { Set-SmimeConfig -OWAAlwaysEncrypt $true -OWABCCEncryptedEmailForking 9 } |
                Should -Throw -ErrorId "InvalidSettingValue,$commandName"
            (Get-SmimeConfig).OWAAlwaysEncrypt | Should -BeFalse
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'refuses an invalid organization name' {
            $record = { Set-SmimeConfig -Identity '../escape' -OWAAlwaysSign $false } |
                Should -Throw -ErrorId "InvalidOrganizationName,$commandName" -PassThru
            $record.TargetObject | Should -BeExactly '../escape'
            Get-StoreSnapshot $store | Should -Be $before
        }
    }

    Context 'weak choices' {
        It 'accepts <Value> for <Name> with a warning that names <Stronger>' -ForEach @(
            @{ Name = 'OWAEncryptionAlgorithms'; Value = '6601;6610'; Weak = '6601'; Stronger = '6610' }
            @{ Name = 'OWAEncryptionAlgorithms'; Value = '6603'; Weak = '6603'; Stronger = '6610' }
            @{ Name = 'OWAEncryptionAlgorithms'; Value = '6602:64'; Weak = '6602:64'; Stronger = '6610' }
            @{ Name = 'OWAEncryptionAlgorithms'; Value = '6602'; Weak = '6602'; Stronger = '6610' }
            @{ Name = 'OWASigningAlgorithms'; Value = '8003'; Weak = '8003'; Stronger = '800C' }
            @{ Name = 'OWASigningAlgorithms'; Value = '800C;8004'; Weak = '8004'; Stronger = '800C' }
        ) {
            $arguments = @{ $Name = $Value }
            Set-SmimeConfig @arguments -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings.Count | Should -Be 1
            $warnings[0].Message | Should -BeLike "*$Name*'$Weak'*weak*$Stronger*"
            (Get-SmimeConfig).$Name | Should -BeExactly $Value
        }

        It 'gives no warning for strong choices' {
            Set-SmimeConfig -OWAEncryptionAlgorithms '6610;660F;660E;6602:128' -OWASigningAlgorithms '800E;800D;800C' -WarningVariable warnings
            $warnings | Should -BeNullOrEmpty
        }
    }

    Context 'nothing to change' {
        It 'warns as Exchange does and writes nothing when every value is already stored' {
            Set-SmimeConfig -OWAAlwaysSign $true
            $before = Get-StoreSnapshot $store
            Set-SmimeConfig -OWAAlwaysSign $true -OWAClearSign $true -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings.Message | Should -Be @($noChangeWarning)
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'warns and creates no store when a new organization is set to its defaults' {
            Set-SmimeConfig -OWAEncryptionAlgorithms '6610' -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings.Message | Should -Be @($noChangeWarning)
            Test-TestStoreWritten $store | Should -BeFalse
        }

        It 'warns when no setting is named at all' {
            Set-SmimeConfig -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings.Message | Should -Be @($noChangeWarning)
        }
    }

    Context 'ShouldProcess' {
        It 'writes nothing with -WhatIf' {
            Set-SmimeConfig -OWAAlwaysSign $true
            $before = Get-StoreSnapshot $store
            Set-SmimeConfig -OWAAlwaysEncrypt $true -OWACRLRetrievalTimeout 1 -WhatIf
            Get-StoreSnapshot $store | Should -Be $before
            (Get-SmimeConfig).OWAAlwaysEncrypt | Should -BeFalse
            (Get-SmimeAuditLog).Count | Should -Be 1
        }

        It 'asks with -Confirm and changes nothing when the answer is <Answer>' -ForEach @(
            @{ Answer = 'N'; Expected = 'False' }
            @{ Answer = 'Y'; Expected = 'True' }
        ) {
            $child = Start-PwshScript -StorePath $store -Answers $Answer -Script 'Set-SmimeConfig -OWAAlwaysSign $true -Confirm; "RESULT=$((Get-SmimeConfig).OWAAlwaysSign)"'
            $result = Wait-PwshScript $child
            $result.ExitCode | Should -Be 0 -Because $result.Errors
            $result.Output | Should -Match 'Are you sure you want to perform this action\?'
            $result.Output | Should -Match 'OWAAlwaysSign: False ->\s+True'
            $result.Output | Should -Match "RESULT=$Expected"
        }
    }

    Context 'concurrent writers' {
        It 'loses no update when two processes each set a different parameter 50 times' {
            $writers = 'OWACRLConnectionTimeout', 'OWACRLRetrievalTimeout' | ForEach-Object {
                Start-PwshScript -StorePath $store -Script "1..50 | ForEach-Object { Set-SmimeConfig -$_ `$_ }"
            }
            foreach ($writer in $writers) {
                $result = Wait-PwshScript $writer
                $result.ExitCode | Should -Be 0 -Because $result.Errors
            }

            $config = Get-SmimeConfig
            $config.OWACRLConnectionTimeout | Should -Be 50
            $config.OWACRLRetrievalTimeout | Should -Be 50
            foreach ($property in @{ Name = 'OWACRLConnectionTimeout'; First = '60000' }, @{ Name = 'OWACRLRetrievalTimeout'; First = '10000' }) {
                $entries = @(Get-SmimeAuditLog -Property $property.Name)
                $entries.NewValue | Should -Be (1..50 | ForEach-Object { "$_" })
                # Each change saw the value the previous one wrote: no write was based on a stale read.
                $entries.OldValue | Should -Be (@($property.First) + (1..49 | ForEach-Object { "$_" }))
            }
        }
    }

    Context 'crash safety' {
        It 'leaves a store that loads when a writer is killed with SIGKILL (round <_>)' -ForEach (1..5) {
            Set-SmimeConfig -OWAAlwaysSign $true
            $writer = Start-PwshScript -StorePath $store -Script @'
$i = 0
while ($true) {
    $i++
    Set-SmimeConfig -OWACRLConnectionTimeout $i -OWAEncryptionAlgorithms $(if ($i % 2) { '6610;660E;660F' } else { '660E' })
}
'@
            # Let it write a few times, then kill it at a varying instant.
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while ((Get-SmimeAuditLog -Property OWACRLConnectionTimeout).Count -lt 5 -and -not $writer.HasExited -and [datetime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 20
            }
            if ($writer.HasExited) { throw "The writer exited early: $($writer.StandardErrorText.Result)" }
            Start-Sleep -Milliseconds (Get-Random -Minimum 0 -Maximum 50)
            $writer.Kill()
            $writer.WaitForExit()

            $config = Get-SmimeConfig
            $config.OWAAlwaysSign | Should -BeTrue
            $config.OWAEncryptionAlgorithms | Should -BeIn @('6610;660E;660F', '660E')
            # Whenever the kill landed, the audit log ends with the change the configuration holds.
            $lastAudited = Get-SmimeAuditLog -Property OWACRLConnectionTimeout | Select-Object -Last 1
            $lastAudited.NewValue | Should -BeExactly "$($config.OWACRLConnectionTimeout)"

            Set-SmimeConfig -OWAAlwaysEncrypt $true
            (Get-SmimeConfig).OWAAlwaysEncrypt | Should -BeTrue
            if ((Get-TestStoreKind) -eq 'Folder') { Get-ChildItem -Path $store -Recurse -Filter '*.tmp' | Should -BeNullOrEmpty }
        }
    }
}
