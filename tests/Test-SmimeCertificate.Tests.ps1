BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CertificateFactory.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $commandName = 'SmimeAdmin.Commands.TestSmimeCertificateCommand'

    $pki = Join-Path $TestDrive 'pki'
    New-Item -ItemType Directory -Path $pki | Out-Null
    $now = [datetime]::UtcNow
    $root = New-TestCertificate -Name 'Root CA' -CertificateAuthority -NotBefore $now.AddYears(-3) -NotAfter $now.AddYears(10)
    $intermediate = New-TestCertificate -Name 'Issuing CA' -Issuer $root -CertificateAuthority -NotBefore $now.AddYears(-2) -NotAfter $now.AddYears(5)
    # Users: valid from yesterday (the factory's default) for a year.
    $alice = New-TestCertificate -Name 'Alice' -Issuer $intermediate -Email 'alice@contoso.com'
    $bob = New-TestCertificate -Name 'Bob' -Issuer $intermediate -Email 'bob@contoso.com'
    $expired = New-TestCertificate -Name 'Expired User' -Issuer $intermediate -Email 'old@contoso.com' -NotBefore $now.AddDays(-400) -NotAfter $now.AddDays(-1)
    $noAddress = New-TestUserCertificate -Name 'No Address' -Issuer $intermediate
    $signOnly = New-TestUserCertificate -Name 'Sign Only' -Issuer $intermediate -Email 'sign@contoso.com' -KeyUsage DigitalSignature
    $encryptOnly = New-TestUserCertificate -Name 'Encrypt Only' -Issuer $intermediate -Email 'encrypt@contoso.com' -KeyUsage KeyEncipherment
    $ecSignOnly = New-TestUserCertificate -Name 'EC Sign Only' -Issuer $intermediate -KeyType EC -KeyUsage DigitalSignature
    $ecAgreement = New-TestUserCertificate -Name 'EC Agreement' -Issuer $intermediate -KeyType EC -KeyUsage 'DigitalSignature, KeyAgreement'
    $clientAuth = New-TestUserCertificate -Name 'Client Auth' -Issuer $intermediate -Email 'client@contoso.com' -ExtendedKeyUsage '1.3.6.1.5.5.7.3.2'
    $otherRoot = New-TestCertificate -Name 'Other Root' -CertificateAuthority -NotBefore $now.AddYears(-1) -NotAfter $now.AddYears(5)
    $stranger = New-TestCertificate -Name 'Stranger' -Issuer $otherRoot -Email 'stranger@fabrikam.com'

    [IO.File]::WriteAllText((Join-Path $pki 'alice-with-chain.pem'), (ConvertTo-Pem $alice, $intermediate))
    [IO.File]::WriteAllText((Join-Path $pki 'two-users-with-chain.pem'), (ConvertTo-Pem $alice, $intermediate, $bob))
    [IO.File]::WriteAllText((Join-Path $pki 'stranger-with-root.pem'), (ConvertTo-Pem $stranger, $otherRoot))
    [IO.File]::WriteAllText((Join-Path $pki 'ca-only.pem'), (ConvertTo-Pem $root, $intermediate))
    [IO.File]::WriteAllBytes((Join-Path $pki 'alice.cer'), $alice.RawData)
    [IO.File]::WriteAllBytes((Join-Path $pki 'expired.cer'), $expired.RawData)
    [IO.File]::WriteAllText((Join-Path $pki 'not-a-cert.pem'), 'hello')
}

Describe 'Test-SmimeCertificate' {
    BeforeEach {
        # CRL checking is off; revocation has its own context below.
        $store = Connect-TestStore -Collection $root, $intermediate
    }

    Context 'a good certificate' {
        It 'is valid, with a chain to the collection and no reasons' {
            $result = Test-SmimeCertificate -Certificate $alice
            $result | Should -HaveCount 1
            $result.IsValid | Should -BeTrue
            $result.Reasons | Should -HaveCount 0
            $result.Failures | Should -HaveCount 0
            $result.Organization | Should -BeExactly 'contoso.com'
            $result.Thumbprint | Should -BeExactly $alice.Thumbprint
            $result.Subject | Should -BeExactly 'CN=Alice, O=SmimeAdmin Tests'
            $result.EmailAddresses | Should -Be @('alice@contoso.com')
            $result.Usage | Should -BeExactly 'Both'
            $result.NotAfter | Should -Be $alice.NotAfter
        }

        It 'ends the chain at the first certificate of the collection, the intermediate' {
            $result = Test-SmimeCertificate -Certificate $alice
            $result.Chain | Should -HaveCount 2
            $result.Chain[0] | Should -BeLike "*($($alice.Thumbprint))"
            $result.Chain[1] | Should -BeExactly "CN=Issuing CA, O=SmimeAdmin Tests ($($intermediate.Thumbprint))"
        }

        It 'builds a chain of 3 up to the root when only the root is in the collection and the intermediate comes with the certificate' {
            Set-SmimeCertificateCollection -Certificate $root
            $result = Test-SmimeCertificate -Path (Join-Path $pki 'alice-with-chain.pem')
            $result | Should -HaveCount 1
            $result.IsValid | Should -BeTrue
            $result.Reasons | Should -HaveCount 0
            $result.Thumbprint | Should -BeExactly $alice.Thumbprint
            $result.Chain | Should -HaveCount 3
            $result.Chain[1] | Should -BeLike "*($($intermediate.Thumbprint))"
            $result.Chain[2] | Should -BeLike "*($($root.Thumbprint))"
        }

        It 'changes nothing in the store' {
            $before = Get-StoreSnapshot $store
            Test-SmimeCertificate -Certificate $alice, $expired | Out-Null
            Get-StoreSnapshot $store | Should -Be $before
            @(Get-SmimeAuditLog).Command | Should -Not -Contain 'Test-SmimeCertificate'
        }
    }

    Context 'addresses' {
        It 'matches an address, ignoring the case of the domain and of an ASCII local part' {
            $result = Test-SmimeCertificate -Certificate $alice -EmailAddress 'alice@CONTOSO.com', 'Alice@Contoso.COM'
            $result.IsValid | Should -BeTrue
            $result.Reasons | Should -HaveCount 0
        }

        It 'reports each address the certificate is not for' {
            $result = Test-SmimeCertificate -Certificate $alice -EmailAddress 'alice@contoso.com', 'bob@contoso.com', 'alice@fabrikam.com'
            $result.IsValid | Should -BeFalse
            $result.Reasons | Should -Be @('AddressMismatch', 'AddressMismatch')
            $result.Failures[0].Severity | Should -BeExactly 'Error'
            $result.Failures[0].Message | Should -BeLike "*is not for 'bob@contoso.com'*alice@contoso.com*"
            $result.Failures[1].Message | Should -BeLike "*is not for 'alice@fabrikam.com'*"
        }

        It 'accepts any address for a certificate that names none' {
            $result = Test-SmimeCertificate -Certificate $noAddress -EmailAddress 'anyone@contoso.com'
            $result.IsValid | Should -BeTrue
            $result.EmailAddresses | Should -HaveCount 0
        }
    }

    Context 'validity period' {
        It 'reports an expired certificate' {
            $result = Test-SmimeCertificate -Certificate $expired
            $result.IsValid | Should -BeFalse
            $result.Reasons | Should -Be @('Expired')
            $result.Failures[0].Severity | Should -BeExactly 'Error'
        }

        It 'judges at -At: before NotBefore the certificate is not yet valid' {
            $at = [datetime]::SpecifyKind($alice.NotBefore.ToUniversalTime().AddDays(-10), 'Utc')
            $result = Test-SmimeCertificate -Certificate $alice -At $at
            $result.IsValid | Should -BeFalse
            $result.Reasons | Should -Be @('NotYetValid')
            $result.ValidationTime | Should -Be $at
        }

        It 'judges at -At: an expired certificate was valid during its validity period' {
            $at = $expired.NotAfter.AddDays(-30)
            $result = Test-SmimeCertificate -Certificate $expired -At $at
            $result.IsValid | Should -BeTrue
            $result.ValidationTime | Should -Be $at.ToUniversalTime()
            $result.ValidationTime.Kind | Should -Be 'Utc'
        }
    }

    Context 'chain' {
        It 'reports a certificate from a root that is not in the collection' {
            $result = Test-SmimeCertificate -Certificate $stranger
            $result.IsValid | Should -BeFalse
            $result.Reasons | Should -Be @('ChainNotTrusted')
            $result.Chain | Should -HaveCount 1
            $result.Failures[0].Message | Should -BeLike "*issued by 'CN=Other Root, O=SmimeAdmin Tests'*"
        }

        It 'never trusts a root that only comes in the file' {
            $result = Test-SmimeCertificate -Path (Join-Path $pki 'stranger-with-root.pem')
            $result | Should -HaveCount 1
            $result.Thumbprint | Should -BeExactly $stranger.Thumbprint
            $result.Reasons | Should -Be @('ChainNotTrusted')
            $result.Failures[0].Message | Should -BeLike '*self-issued root that is not in the organization*'
        }

        It 'needs the intermediate from the file when only the root is in the collection' {
            Set-SmimeCertificateCollection -Certificate $root
            $result = Test-SmimeCertificate -Path (Join-Path $pki 'alice.cer')
            $result.IsValid | Should -BeFalse
            $result.Reasons | Should -Be @('ChainNotTrusted')
        }

        It 'uses the collection and settings of -Identity' {
            Set-SmimeCertificateCollection -Certificate $otherRoot -Identity 'fabrikam.com'
            $result = Test-SmimeCertificate -Certificate $stranger -Identity 'fabrikam.com'
            $result.Organization | Should -BeExactly 'fabrikam.com'
            # fabrikam.com keeps the default OWADisableCRLCheck, so the missing distribution point is a warning.
            $result.IsValid | Should -BeTrue
            $result.Reasons | Should -Be @('RevocationUnknown')
            (Test-SmimeCertificate -Certificate $alice -Identity 'fabrikam.com').Reasons | Should -Be @('ChainNotTrusted')
        }

        It 'trusts nothing for an organization without a collection' {
            $result = Test-SmimeCertificate -Certificate $alice -Identity 'empty.example'
            $result.Reasons | Should -Be @('ChainNotTrusted')
        }
    }

    Context 'key usage' {
        It 'accepts a certificate without keyEncipherment for signing only' {
            $result = Test-SmimeCertificate -Certificate $signOnly -Usage Signing
            $result.IsValid | Should -BeTrue
            $result.Usage | Should -BeExactly 'Signing'
        }

        It 'refuses a certificate without keyEncipherment for encryption and for both' {
            foreach ($usage in 'Encryption', 'Both') {
                $result = Test-SmimeCertificate -Certificate $signOnly -Usage $usage
                $result.IsValid | Should -BeFalse -Because "-Usage $usage"
                $result.Reasons | Should -Be @('KeyUsageMissing') -Because "-Usage $usage"
                $result.Failures[0].Message | Should -BeLike '*lacks keyEncipherment*'
            }
        }

        It 'refuses a certificate without digitalSignature for signing, and accepts it for encryption' {
            $signing = Test-SmimeCertificate -Certificate $encryptOnly -Usage Signing
            $signing.Reasons | Should -Be @('KeyUsageMissing')
            $signing.Failures[0].Message | Should -BeLike '*cannot sign mail*'
            (Test-SmimeCertificate -Certificate $encryptOnly -Usage Encryption).IsValid | Should -BeTrue
        }

        It 'asks keyAgreement of an EC key for encryption' {
            (Test-SmimeCertificate -Certificate $ecSignOnly -Usage Encryption).Reasons | Should -Be @('KeyUsageMissing')
            (Test-SmimeCertificate -Certificate $ecSignOnly -Usage Signing).IsValid | Should -BeTrue
            (Test-SmimeCertificate -Certificate $ecAgreement -Usage Both).IsValid | Should -BeTrue
        }

        It 'refuses a certificate whose extended key usage lacks emailProtection' {
            $result = Test-SmimeCertificate -Certificate $clientAuth
            $result.IsValid | Should -BeFalse
            $result.Reasons | Should -Be @('ExtendedKeyUsageMissing')
        }

        It 'accepts only Signing, Encryption and Both' {
            { Test-SmimeCertificate -Certificate $alice -Usage Decryption } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,SmimeAdmin.Commands.TestSmimeCertificateCommand'
        }
    }

    Context 'input' {
        It 'takes certificate objects from the pipeline, one result each, in order' {
            $results = $alice, $expired, $stranger | Test-SmimeCertificate
            $results | Should -HaveCount 3
            $results.Thumbprint | Should -Be @($alice.Thumbprint, $expired.Thumbprint, $stranger.Thumbprint)
            $results.IsValid | Should -Be @($true, $false, $false)
        }

        It 'takes the certificate positionally' {
            (Test-SmimeCertificate $alice).Thumbprint | Should -BeExactly $alice.Thumbprint
        }

        It 'takes the paths of piped files, with wildcards too' {
            $piped = Get-ChildItem -Path (Join-Path $pki '*.cer') | Sort-Object Name | Test-SmimeCertificate
            $piped.Thumbprint | Should -Be @($alice.Thumbprint, $expired.Thumbprint)
            $wildcard = Test-SmimeCertificate -Path (Join-Path $pki 'a*.cer')
            $wildcard.Thumbprint | Should -Be @($alice.Thumbprint)
        }

        It 'tests every user certificate of a file with the CA certificates of that file' {
            Set-SmimeCertificateCollection -Certificate $root
            $results = Test-SmimeCertificate -Path (Join-Path $pki 'two-users-with-chain.pem')
            $results.Thumbprint | Should -Be @($alice.Thumbprint, $bob.Thumbprint)
            $results.IsValid | Should -Be @($true, $true)
            $results | ForEach-Object { $_.Chain | Should -HaveCount 3 }
        }

        It 'tests each certificate of a file of CA certificates only' {
            $results = Test-SmimeCertificate -Path (Join-Path $pki 'ca-only.pem')
            $results.Thumbprint | Should -Be @($root.Thumbprint, $intermediate.Thumbprint)
        }
    }

    Context 'output' {
        It 'returns SmimeAdmin.SmimeCertificateTestResult objects with SmimeAdmin.SmimeCertificateFailure failures' {
            $result = Test-SmimeCertificate -Certificate $expired -EmailAddress 'new@contoso.com'
            $result.PSObject.TypeNames[0] | Should -BeExactly 'SmimeAdmin.SmimeCertificateTestResult'
            $result.Failures[0].PSObject.TypeNames[0] | Should -BeExactly 'SmimeAdmin.SmimeCertificateFailure'
            $result.Failures.Reason | Should -Be @('Expired', 'AddressMismatch')
            $result.Failures[0].Certificate | Should -BeExactly "CN=Expired User, O=SmimeAdmin Tests ($($expired.Thumbprint))"
            "$($result.Failures[0])" | Should -BeLike 'Expired: *'
        }

        It 'shows a table of thumbprint, validity, usage, reasons and subject by default' {
            $text = (Test-SmimeCertificate -Certificate $expired -EmailAddress 'new@contoso.com' | Out-String -Width 250) -replace '\e\[[0-9;]*m'
            $lines = @($text -split '\r?\n' | Where-Object { $_.Trim() })
            $lines[0] | Should -Match '^Thumbprint\s+IsValid\s+Usage\s+Reasons\s+Subject\s*$'
            $lines[2] | Should -Match "^$($expired.Thumbprint)\s+False\s+Both\s+Expired, AddressMismatch\s+CN=Expired User, O=SmimeAdmin Tests\s*$"
        }
    }

    Context 'errors' {
        It 'refuses an invalid organization name' {
            $failure = { Test-SmimeCertificate -Certificate $alice -Identity 'not a name!' } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeExactly "InvalidOrganizationName,$commandName"
            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failure.TargetObject | Should -BeExactly 'not a name!'
        }

        It 'refuses a file in no certificate format' {
            $failure = { Test-SmimeCertificate -Path (Join-Path $pki 'not-a-cert.pem') } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeExactly "InvalidCertificateData,$commandName"
            $failure.CategoryInfo.Category | Should -Be 'InvalidData'
            $failure.Exception.Message | Should -BeLike '*offset*'
        }

        It 'names each bad file and still tests the good ones' {
            $bad = Join-Path $pki 'not-a-cert.pem'
            $results = Test-SmimeCertificate -Path $bad, (Join-Path $pki 'a*.cer'), (Join-Path $pki 'nothing-*.pem'), $pki -ErrorAction SilentlyContinue -ErrorVariable failures
            $results.Thumbprint | Should -Be @($alice.Thumbprint)
            # Paths are resolved and read first, then the files are decoded.
            $failures.FullyQualifiedErrorId | Should -Be @("PathNotFound,$commandName", "FileUnreadable,$commandName", "InvalidCertificateData,$commandName")
            $failures.TargetObject | Should -Be @((Join-Path $pki 'nothing-*.pem'), $pki, $bad)
        }

        It 'refuses a path of another provider' {
            $failure = { Test-SmimeCertificate -Path 'Env:\PATH' } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeExactly "PathNotFileSystem,$commandName"
            $failure.TargetObject | Should -BeExactly 'Env:\PATH'
        }

        It 'reports a path that does not exist with PathNotFound' {
            $missing = Join-Path $pki 'missing.pem'
            $failure = { Test-SmimeCertificate -Path $missing } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeExactly "PathNotFound,$commandName"
            $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failure.TargetObject | Should -BeExactly $missing
        }
    }

    Context 'revocation without CRL distribution points' {
        BeforeEach {
            Set-SmimeConfig -OWADisableCRLCheck $false
        }

        It 'warns that the status is unknown, and the certificate stays valid' {
            $result = Test-SmimeCertificate -Certificate $alice
            $result.IsValid | Should -BeTrue
            $result.Reasons | Should -Be @('RevocationUnknown')
            $result.Failures[0].Severity | Should -BeExactly 'Warning'
            $result.Failures[0].Message | Should -BeLike "*$($alice.Thumbprint)*names no http or https CRL distribution point*"
        }

        It 'makes the unknown status an error with OWACheckCRLOnSend' {
            Set-SmimeConfig -OWACheckCRLOnSend $true
            $result = Test-SmimeCertificate -Certificate $alice
            $result.IsValid | Should -BeFalse
            $result.Reasons | Should -Be @('RevocationUnknown')
            $result.Failures[0].Severity | Should -BeExactly 'Error'
        }

        It 'checks an intermediate that comes with the certificate, but not the certificates of the collection' {
            Set-SmimeCertificateCollection -Certificate $root
            $result = Test-SmimeCertificate -Path (Join-Path $pki 'alice-with-chain.pem')
            $result.IsValid | Should -BeTrue
            $result.Reasons | Should -Be @('RevocationUnknown', 'RevocationUnknown')
            $result.Failures.Certificate | Should -Be @(
                "CN=Alice, O=SmimeAdmin Tests ($($alice.Thumbprint))", "CN=Issuing CA, O=SmimeAdmin Tests ($($intermediate.Thumbprint))")
        }

        It 'checks no revocation when no chain was built' {
            (Test-SmimeCertificate -Certificate $stranger).Reasons | Should -Be @('ChainNotTrusted')
        }

        It 'adds the warning to the other findings' {
            (Test-SmimeCertificate -Certificate $expired).Reasons | Should -Be @('Expired', 'RevocationUnknown')
        }
    }

    Context 'revocation with CRLs served over HTTP' {
        BeforeAll {
            # A CRL server on a free loopback port. CRLs are cached for the session by URL, and each run has its own port.
            $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $probe.Start()
            $port = $probe.LocalEndpoint.Port
            $probe.Stop()
            $base = "http://127.0.0.1:$port"

            $revoked = New-TestUserCertificate -Name 'Revoked User' -Issuer $intermediate -CrlDistributionPoint "$base/issuing.crl"
            $good = New-TestUserCertificate -Name 'Good User' -Issuer $intermediate -CrlDistributionPoint "$base/issuing.crl"
            $missingCrl = New-TestUserCertificate -Name 'Missing CRL' -Issuer $intermediate -CrlDistributionPoint "$base/missing.crl"
            $notFetched = New-TestUserCertificate -Name 'Not Fetched' -Issuer $intermediate -CrlDistributionPoint "$base/later.crl"
            $wrongIssuer = New-TestUserCertificate -Name 'Wrong Issuer' -Issuer $intermediate -CrlDistributionPoint "$base/root.crl"
            $revokedAt = [datetime]::UtcNow.AddHours(-1)
            $crls = @{
                '/issuing.crl' = (New-TestCrl -Issuer $intermediate -Revoked $revoked -RevokedAt $revokedAt)
                '/later.crl'   = (New-TestCrl -Issuer $intermediate)
                '/root.crl'    = (New-TestCrl -Issuer $root)
            }

            $crlServer = Start-TestCrlServer -Prefix $base -Crls $crls
        }

        AfterAll {
            Stop-TestCrlServer $crlServer
        }

        BeforeEach {
            Set-SmimeConfig -OWADisableCRLCheck $false -OWACRLConnectionTimeout 20000 -OWACRLRetrievalTimeout 20000
        }

        It 'reports a revoked certificate, and none for a certificate the CRL does not list' {
            $result = Test-SmimeCertificate -Certificate $revoked
            $result.IsValid | Should -BeFalse
            $result.Reasons | Should -Be @('Revoked')
            $result.Failures[0].Message | Should -BeLike "*revoked on*keyCompromise*$base/issuing.crl*"
            $result = Test-SmimeCertificate -Certificate $good
            $result.IsValid | Should -BeTrue
            $result.Reasons | Should -HaveCount 0
        }

        It 'reports a revoked certificate as revoked even without OWACheckCRLOnSend, and not before the revocation' {
            (Test-SmimeCertificate -Certificate $revoked -At $revokedAt.AddMinutes(1)).Reasons | Should -Be @('Revoked')
            (Test-SmimeCertificate -Certificate $revoked -At $revokedAt.AddMinutes(-1)).IsValid | Should -BeTrue
        }

        It 'reports nothing about revocation with OWADisableCRLCheck, not even for a revoked certificate' {
            Set-SmimeConfig -OWADisableCRLCheck $true
            $result = Test-SmimeCertificate -Certificate $revoked
            $result.IsValid | Should -BeTrue
            $result.Reasons | Should -HaveCount 0
        }

        It 'warns when the CRL cannot be retrieved' {
            $result = Test-SmimeCertificate -Certificate $missingCrl
            $result.IsValid | Should -BeTrue
            $result.Reasons | Should -Be @('RevocationUnknown')
            $result.Failures[0].Message | Should -BeLike "*could not be retrieved from $base/missing.crl*404*"
        }

        It 'reports a CRL from another issuer as CrlInvalid' {
            $result = Test-SmimeCertificate -Certificate $wrongIssuer
            $result.IsValid | Should -BeTrue
            $result.Reasons | Should -Be @('CrlInvalid')
            Set-SmimeConfig -OWACheckCRLOnSend $true
            (Test-SmimeCertificate -Certificate $wrongIssuer).IsValid | Should -BeFalse
        }

        It 'retrieves nothing with a time limit of 0, but still uses a CRL retrieved before' {
            Test-SmimeCertificate -Certificate $revoked | Out-Null
            Set-SmimeConfig -OWACRLConnectionTimeout 0
            (Test-SmimeCertificate -Certificate $revoked).Reasons | Should -Be @('Revoked')
            $result = Test-SmimeCertificate -Certificate $notFetched
            $result.IsValid | Should -BeTrue
            $result.Reasons | Should -Be @('RevocationTimeout')
            $result.Failures[0].Message | Should -BeLike '*OWACRLConnectionTimeout (0 ms)*'
        }

        It 'reports a spent OWACRLRetrievalTimeout as RevocationTimeout, an error with OWACheckCRLOnSend' {
            Set-SmimeConfig -OWACRLRetrievalTimeout 0 -OWACheckCRLOnSend $true
            $result = Test-SmimeCertificate -Certificate $notFetched
            $result.IsValid | Should -BeFalse
            $result.Reasons | Should -Be @('RevocationTimeout')
            $result.Failures[0].Severity | Should -BeExactly 'Error'
            $result.Failures[0].Message | Should -BeLike '*OWACRLRetrievalTimeout (0 ms)*'
        }
    }
}
