BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CertificateFactory.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    $root = New-TestCertificate -Name 'Root CA' -CertificateAuthority -NotAfter ([datetime]::UtcNow.AddYears(5))
    $intermediate = New-TestCertificate -Name 'Issuing CA' -Issuer $root -CertificateAuthority -NotAfter ([datetime]::UtcNow.AddYears(2))
    $expiringRoot = New-TestCertificate -Name 'Expiring Root' -CertificateAuthority -NotAfter ([datetime]::UtcNow.AddDays(10))

    function Set-Hardened([string] $Identity = 'contoso.com') {
        Set-SmimeConfig -Identity $Identity -OWASigningAlgorithms '800E;800C' -OWAEncryptionAlgorithms '6610;660E' -OWAAlwaysSign $true
        $root, $intermediate | Set-SmimeCertificateCollection -Identity $Identity
    }
}

Describe 'Test-SmimeConfig' {
    BeforeEach {
        $store = Connect-TestStore
        $file = Join-Path $TestDrive "$([guid]::NewGuid()).json"
    }

    Context 'a partial baseline as a hashtable' {
        It 'returns nothing when the organization complies' {
            Set-Hardened
            Test-SmimeConfig -Baseline @{ OWASigningAlgorithms = '800e;800c'; OWAAlwaysSign = $true; OWABCCEncryptedEmailForking = 0 } | Should -BeNullOrEmpty
        }

        It 'returns one object per drifted setting, with the expected and actual values' {
            Set-Hardened
            $differences = @(Test-SmimeConfig -Baseline @{ OWADisableCRLCheck = $false; OWAAlwaysSign = $false; OWACRLRetrievalTimeout = 5000; OWAClearSign = $true })

            $differences.Count | Should -Be 2
            $differences[0].PSObject.TypeNames[0] | Should -BeExactly 'SmimeAdmin.SmimeConfigDifference'
            $differences.Setting | Should -Be @('OWACRLRetrievalTimeout', 'OWAAlwaysSign')
            $differences.Expected | Should -Be @(5000, $false)
            $differences.Actual | Should -Be @(10000, $true)
            $differences.Organization | Select-Object -Unique | Should -BeExactly 'contoso.com'
        }

        It 'returns a single Boolean with -Quiet' {
            Set-Hardened
            $compliant = Test-SmimeConfig -Baseline @{ OWAAlwaysSign = $true } -Quiet
            $drifted = Test-SmimeConfig -Baseline @{ OWAAlwaysSign = $false; OWAClearSign = $false } -Quiet
            $compliant | Should -BeExactly $true
            $drifted | Should -BeExactly $false
            @($drifted).Count | Should -Be 1
        }

        It 'checks the collection by thumbprint or certificate object' {
            Set-Hardened
            Test-SmimeConfig -Baseline @{ SMIMECertificateIssuingCA = $intermediate.Thumbprint, $root.Thumbprint.ToLower() } | Should -BeNullOrEmpty
            $difference = Test-SmimeConfig -Baseline @{ SMIMECertificateIssuingCA = @($root) }
            $difference.Setting | Should -BeExactly 'SMIMECertificateIssuingCA'
            $difference.Expected | Should -Be @($root.Thumbprint)
            $difference.Actual | Should -Be @($root.Thumbprint, $intermediate.Thumbprint)
        }

        It 'lists every unknown name and invalid value at once' {
            $caught = { Test-SmimeConfig -Baseline ([ordered]@{ OWAAlwaysSign = 'yes'; OWANoSuchSetting = 1; OWABCCEncryptedEmailForking = 5 }) } |
                Should -Throw -ErrorId 'InvalidConfig,SmimeAdmin.Commands.TestSmimeConfigCommand' -PassThru
            $caught.TargetObject.Setting | Should -Be @('OWAAlwaysSign', 'OWANoSuchSetting', 'OWABCCEncryptedEmailForking')
            $caught.TargetObject.Reason | Should -Be @('InvalidSettingValue', 'UnknownSetting', 'InvalidSettingValue')
        }

        It 'refuses a baseline that is neither a path nor a hashtable' {
            $caught = { Test-SmimeConfig -Baseline 42 } | Should -Throw -ErrorId 'InvalidBaseline,SmimeAdmin.Commands.TestSmimeConfigCommand' -PassThru
            $caught.TargetObject | Should -Be 42
            $caught.Exception.Message | Should -BeLike '*System.Int32*'
        }
    }

    Context 'a configuration file' {
        It 'compares every setting and the collection of an export, given as a path or a FileInfo' {
            Set-Hardened -Identity 'fabrikam.com'
            $exported = Export-SmimeConfig -Identity 'fabrikam.com' -Path $file
            Test-SmimeConfig -Identity 'fabrikam.com' -Baseline $file | Should -BeNullOrEmpty
            Test-SmimeConfig -Identity 'fabrikam.com' -Baseline $exported | Should -BeNullOrEmpty

            $differences = @(Test-SmimeConfig -Baseline $file)
            $differences.Setting | Should -Be @('OWAAlwaysSign', 'OWAEncryptionAlgorithms', 'OWASigningAlgorithms', 'SMIMECertificateIssuingCA')
        }

        It 'takes the identity from the pipeline' {
            Set-Hardened
            Export-SmimeConfig -Path $file
            'contoso.com', 'fabrikam.com' | Test-SmimeConfig -Baseline $file -Quiet | Should -Be @($true, $false)
        }

        It 'compares recipients when the file lists them, by address and attribute' {
            Set-Content -LiteralPath $file -Value (@{
                format = 'SmimeAdmin.Config'; schemaVersion = 1
                recipients = @(@{ address = 'alice@contoso.com'; userCertificate = @($root.Thumbprint); userSMIMECertificate = @() })
            } | ConvertTo-Json -Depth 5)
            $difference = Test-SmimeConfig -Baseline $file
            $difference.Setting | Should -BeExactly 'alice@contoso.com:userCertificate'
            $difference.Expected | Should -Be @($root.Thumbprint)
            @($difference.Actual).Count | Should -Be 0
        }
    }

    Context '-Recommended' {
        It 'explains each way Exchange''s defaults fall short' {
            $findings = @(Test-SmimeConfig -Recommended)
            $findings.Setting | Should -Be @('OWASigningAlgorithms', 'SMIMECertificateIssuingCA')
            $findings[0].Actual | Should -BeExactly '8004'
            $findings[0].Expected | Should -BeLike '*SHA-256 or better*'
            foreach ($finding in $findings) { $finding.Explanation | Should -Not -BeNullOrEmpty }
        }

        It 'finds nothing in a hardened organization' {
            Set-Hardened
            Test-SmimeConfig -Recommended | Should -BeNullOrEmpty
            Test-SmimeConfig -Recommended -Quiet | Should -BeExactly $true
        }

        It 'names a CA that expires within 30 days, and weak algorithms' {
            Set-Hardened
            $root, $intermediate, $expiringRoot | Set-SmimeCertificateCollection
            Set-SmimeConfig -OWAEncryptionAlgorithms '6603;6610' -OWADisableCRLCheck $true -WarningAction SilentlyContinue
            $findings = @(Test-SmimeConfig -Recommended)
            $findings.Setting | Should -Be @('OWADisableCRLCheck', 'OWAEncryptionAlgorithms', 'OWAEncryptionAlgorithms', 'SMIMECertificateIssuingCA')
            $findings[3].Actual | Should -BeLike "*$($expiringRoot.Thumbprint)*"
            $findings[3].Explanation | Should -BeLike '*expires in 10 days*'
        }
    }
}

Describe 'Compare-SmimeConfig' {
    BeforeEach {
        $store = Connect-TestStore
        $file = Join-Path $TestDrive "$([guid]::NewGuid()).json"
    }

    It 'compares two organizations: Expected is the reference, Actual the difference side' {
        Set-Hardened
        Set-Hardened -Identity 'fabrikam.com'
        Compare-SmimeConfig 'contoso.com' 'fabrikam.com' | Should -BeNullOrEmpty

        Set-SmimeConfig -Identity 'fabrikam.com' -OWAAlwaysSign $false -OWADLExpansionTimeout 1
        $differences = @(Compare-SmimeConfig -ReferenceIdentity 'contoso.com' -DifferenceIdentity 'fabrikam.com')
        $differences.Setting | Should -Be @('OWADLExpansionTimeout', 'OWAAlwaysSign')
        $differences.Expected | Should -Be @(60000, $true)
        $differences.Actual | Should -Be @(1, $false)
        $differences.Organization | Select-Object -Unique | Should -BeExactly 'fabrikam.com'
    }

    It 'compares an organization with a file, either way round, and two files' {
        Set-Hardened
        Export-SmimeConfig -Path $file
        Export-SmimeConfig -Identity 'fabrikam.com' -Path "$file.fabrikam"

        (Compare-SmimeConfig -ReferencePath $file -DifferenceIdentity 'fabrikam.com').Setting | Should -Contain 'SMIMECertificateIssuingCA'
        $reverse = Compare-SmimeConfig -ReferenceIdentity 'fabrikam.com' -DifferencePath $file | Where-Object Setting -EQ 'OWAAlwaysSign'
        $reverse.Expected | Should -BeFalse
        $reverse.Actual | Should -BeTrue
        $reverse.Organization | Should -Be $file
        @(Compare-SmimeConfig -ReferencePath $file -DifferencePath "$file.fabrikam").Count | Should -Be 4
        Compare-SmimeConfig -ReferencePath $file -DifferenceIdentity 'contoso.com' | Should -BeNullOrEmpty
    }

    It 'reports an invalid organization name' {
        { Compare-SmimeConfig -ReferenceIdentity 'contoso.com' -DifferenceIdentity '../x' } | Should -Throw -ErrorId 'InvalidOrganizationName,SmimeAdmin.Commands.CompareSmimeConfigCommand'
    }
}

Describe 'examples/Baseline.Tests.ps1' {
    BeforeAll {
        # The copy the module ships, which is the one an administrator finds.
        $example = Join-Path (Split-Path (Get-TestModulePath)) 'examples/Baseline.Tests.ps1'
        $pester = (Get-Module Pester).Path

        # Runs the example in a fresh PowerShell, as an administrator would, and returns the outcome counts.
        function Invoke-Example([string] $StorePath, [string] $Baseline, [string] $Organization) {
            $script = @"
Import-Module '$pester'
`$container = New-PesterContainer -Path '$example' -Data @{ Baseline = $Baseline; Organization = '$Organization' }
`$result = Invoke-Pester -Container `$container -PassThru -Output None
[pscustomobject]@{ Passed = `$result.PassedCount; Failed = `$result.FailedCount; Skipped = `$result.SkippedCount; FailedNames = @(`$result.Failed.ExpandedName) } | ConvertTo-Json -Compress
"@
            $run = Wait-PwshScript (Start-PwshScript -Script $script -StorePath $StorePath -Organization 'contoso.com')
            $run.ExitCode | Should -Be 0 -Because $run.Errors
            $run.Output.Trim().Split("`n")[-1] | ConvertFrom-Json
        }
    }

    BeforeEach {
        $store = Connect-TestStore
        $file = Join-Path $TestDrive "$([guid]::NewGuid()).json"
        Set-Hardened
        Export-SmimeConfig -Path $file
        Set-Hardened -Identity 'drifted.com'
        Set-SmimeConfig -Identity 'drifted.com' -OWASigningAlgorithms '8004' -OWADisableCRLCheck $true -WarningAction SilentlyContinue
    }

    It 'ships with the module, identical to the repository''s' {
        (Get-FileHash $example).Hash | Should -Be (Get-FileHash (Join-Path $PSScriptRoot '../examples/Baseline.Tests.ps1')).Hash
    }

    It 'passes every setting and the collection of an export for a compliant organization' {
        $outcome = Invoke-Example -StorePath $store -Baseline "'$file'" -Organization 'contoso.com'
        $outcome.Passed | Should -Be 26
        $outcome.Failed | Should -Be 0
        $outcome.Skipped | Should -Be 0
    }

    It 'fails exactly the drifted settings, by name' {
        $outcome = Invoke-Example -StorePath $store -Baseline "'$file'" -Organization 'drifted.com'
        $outcome.Passed | Should -Be 24
        $outcome.Failed | Should -Be 2
        $outcome.FailedNames | Sort-Object | Should -Be @('OWADisableCRLCheck is as the baseline says', 'OWASigningAlgorithms is as the baseline says')
    }

    It 'takes a hashtable of only the settings a team cares about' {
        $outcome = Invoke-Example -StorePath $store -Baseline "@{ OWASigningAlgorithms = '800E;800C'; OWAAlwaysSign = `$true }" -Organization 'drifted.com'
        $outcome.Passed | Should -Be 1
        $outcome.Failed | Should -Be 1
        $outcome.Skipped | Should -Be 0
        $outcome.FailedNames | Should -Be 'OWASigningAlgorithms is as the baseline says'
    }
}
