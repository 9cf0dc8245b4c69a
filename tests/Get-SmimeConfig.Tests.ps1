BeforeDiscovery {
    $parity = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'ExchangeParity.psd1')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $parity = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'ExchangeParity.psd1')
}

Describe 'Get-SmimeConfig' {
    BeforeEach {
        $store = Connect-TestStore -Organization 'contoso.onmicrosoft.com'
    }

    Context 'an organization never configured' {
        It 'reports Exchange''s default for <Name>' -ForEach $parity.Settings {
            $config = Get-SmimeConfig
            $config.$Name | Should -Be $Default
            $config.$Name | Should -BeOfType ([type] "System.$Type")
        }

        It 'reports an empty certificate collection and the New object state' {
            $config = Get-SmimeConfig
            $config.SMIMECertificateIssuingCA | Should -BeNullOrEmpty
            $config.SMIMECertificatesExpiryDate | Should -BeNullOrEmpty
            $config.SMIMEExpiredCertificateThumbprint | Should -BeExactly ''
            $config.ObjectState | Should -BeExactly 'New'
            $config.WhenCreatedUTC | Should -BeNullOrEmpty
            $config.Guid | Should -Be ([guid]::Empty)
        }

        It 'writes nothing to the store' {
            Get-SmimeConfig | Out-Null
            Test-TestStoreWritten $store | Should -BeFalse
        }
    }

    Context 'the object' {
        It 'is a SmimeAdmin.SmimeConfig with every Exchange property in Exchange''s order' {
            $config = Get-SmimeConfig
            $config.PSObject.TypeNames[0] | Should -BeExactly 'SmimeAdmin.SmimeConfig'
            $config.PSObject.Properties.Name | Should -Be $parity.PropertyOrder
        }

        It 'names the object like Exchange and identifies the organization' {
            $config = Get-SmimeConfig
            $config.Name | Should -BeExactly 'Smime Configuration'
            $config.Identity | Should -BeExactly 'contoso.onmicrosoft.com'
            $config.OrganizationId | Should -BeExactly 'contoso.onmicrosoft.com'
            $config.DistinguishedName | Should -BeLike 'CN=Smime Configuration,CN=Global Settings,CN=contoso.onmicrosoft.com,*'
            $config.ObjectClass | Should -Be @('top', 'container', 'msExchContainer')
            $config.IsValid | Should -BeTrue
        }

        It 'lists every property in its default view, like Exchange''s Format-List' {
            $lines = Get-SmimeConfig | Out-String -Width 250 -Stream | Where-Object { $_ -match '^\S+\s*:' }
            $names = $lines | ForEach-Object { ($_ -split '\s*:', 2)[0] }
            $names | Should -Be $parity.PropertyOrder
        }

        It 'stamps creation and change times, keeping the creation time on later changes' {
            $before = [datetime]::UtcNow.AddSeconds(-1)
            Set-SmimeConfig -OWAAlwaysSign $true
            $first = Get-SmimeConfig
            $first.ObjectState | Should -BeExactly 'Unchanged'
            $first.Guid | Should -Not -Be ([guid]::Empty)
            $first.WhenCreatedUTC | Should -BeGreaterOrEqual $before
            $first.WhenChangedUTC | Should -Be $first.WhenCreatedUTC
            $first.WhenCreated | Should -Be $first.WhenCreatedUTC.ToLocalTime()

            Set-SmimeConfig -OWAAlwaysSign $false
            $second = Get-SmimeConfig
            $second.WhenCreatedUTC | Should -Be $first.WhenCreatedUTC
            $second.WhenChangedUTC | Should -BeGreaterOrEqual $first.WhenChangedUTC
            $second.Guid | Should -Be $first.Guid
        }
    }

    Context 'organizations side by side' {
        It 'keeps each organization''s settings apart and selects them by -Identity' {
            Set-SmimeConfig -Identity 'fabrikam.com' -OWAAlwaysEncrypt $true
            Set-SmimeConfig -OWAAlwaysSign $true

            (Get-SmimeConfig -Identity 'fabrikam.com').OWAAlwaysEncrypt | Should -BeTrue
            (Get-SmimeConfig -Identity 'fabrikam.com').OWAAlwaysSign | Should -BeFalse
            (Get-SmimeConfig).OWAAlwaysSign | Should -BeTrue
            (Get-SmimeConfig).OWAAlwaysEncrypt | Should -BeFalse
            (Get-SmimeStore).Organizations | Should -Be @('contoso.onmicrosoft.com', 'fabrikam.com')
        }

        It 'matches organization names without regard to case' {
            Set-SmimeConfig -Identity 'Fabrikam.com' -OWAAlwaysSign $true
            (Get-SmimeConfig -Identity 'FABRIKAM.COM').OWAAlwaysSign | Should -BeTrue
            (Get-SmimeConfig -Identity 'FABRIKAM.COM').Identity | Should -BeExactly 'Fabrikam.com'
        }

        It 'takes identities from the pipeline' {
            Set-SmimeConfig -Identity 'a.example' -OWAAlwaysSign $true
            $configs = 'a.example', 'b.example' | Get-SmimeConfig
            $configs.Identity | Should -Be @('a.example', 'b.example')
            $configs.OWAAlwaysSign | Should -Be @($true, $false)
        }

        It 'completes -Identity from the organizations in the store' {
            Set-SmimeConfig -Identity 'fabrikam.com' -OWAAlwaysSign $true
            Set-SmimeConfig -Identity 'fourthcoffee.com' -OWAAlwaysSign $true
            Set-SmimeConfig -OWAAlwaysSign $true
            $line = 'Get-SmimeConfig -Identity F'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
                Should -Be @('fabrikam.com', 'fourthcoffee.com')
        }

        It 'rejects an invalid organization name' {
            { Get-SmimeConfig -Identity 'not valid!' } |
                Should -Throw -ErrorId 'InvalidOrganizationName,SmimeAdmin.Commands.GetSmimeConfigCommand'
        }
    }
}
