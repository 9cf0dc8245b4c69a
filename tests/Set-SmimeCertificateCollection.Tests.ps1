BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CertificateFactory.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $commandName = 'SmimeAdmin.Commands.SetSmimeCertificateCollectionCommand'

    $pki = Join-Path $TestDrive 'pki'
    New-Item -ItemType Directory -Path $pki | Out-Null
    $root = New-TestCertificate -Name 'Root CA' -CertificateAuthority
    $intermediate = New-TestCertificate -Name 'Issuing CA' -Issuer $root -CertificateAuthority -NotAfter ([datetime]::UtcNow.AddDays(300))
    $ecRoot = New-TestCertificate -Name 'EC Root' -CertificateAuthority -KeyType EC
    $v1Root = New-TestVersion1Root -Name 'V1 Root' -Folder $pki
    $leaf = New-TestCertificate -Name 'Alice' -Issuer $intermediate -NotAfter ([datetime]::UtcNow.AddDays(200)) -Email 'alice@contoso.com'
    $expiredRoot = New-TestCertificate -Name 'Expired Root' -CertificateAuthority -NotBefore ([datetime]::UtcNow.AddYears(-3)) -NotAfter ([datetime]::UtcNow.AddDays(-1))
    $orphan = New-TestCertificate -Name 'Orphan CA' -Issuer (New-TestCertificate -Name 'Unlisted Root' -CertificateAuthority) -CertificateAuthority -NotAfter ([datetime]::UtcNow.AddDays(300))

    [IO.File]::WriteAllText((Join-Path $pki 'chain.pem'), (ConvertTo-Pem $root, $intermediate))
    [IO.File]::WriteAllBytes((Join-Path $pki 'root.cer'), $root.RawData)
    [IO.File]::WriteAllBytes((Join-Path $pki 'ec-root.crt'), $ecRoot.RawData)
    [IO.File]::WriteAllText((Join-Path $pki 'not-a-cert.cer'), 'hello')
    # A PKCS#7 bundle made by openssl, in DER and PEM, named misleadingly: the format comes from the content.
    & openssl crl2pkcs7 -nocrl -certfile (Join-Path $pki 'chain.pem') -outform DER -out (Join-Path $pki 'chain-p7b.bin')
    & openssl crl2pkcs7 -nocrl -certfile (Join-Path $pki 'chain.pem') -outform PEM -out (Join-Path $pki 'chain.txt')

    function Get-Thumbprints { @(Get-SmimeCertificateCollection).Thumbprint }
}

Describe 'Set-SmimeCertificateCollection' {
    BeforeEach {
        $store = Connect-TestStore -Organization 'contoso.com'
    }

    Context 'input formats' {
        It 'reads a PEM bundle' {
            Set-SmimeCertificateCollection -Path (Join-Path $pki 'chain.pem')
            Get-Thumbprints | Should -Be @($root.Thumbprint, $intermediate.Thumbprint)
        }

        It 'reads DER certificates, with wildcards' {
            Set-SmimeCertificateCollection -Path (Join-Path $pki '*.crt'), (Join-Path $pki 'root.cer')
            Get-Thumbprints | Should -Be @($ecRoot.Thumbprint, $root.Thumbprint)
        }

        It 'reads PKCS#7 in DER and PEM, whatever the file is called' {
            Set-SmimeCertificateCollection -Path (Join-Path $pki 'chain-p7b.bin')
            Get-Thumbprints | Sort-Object | Should -Be (@($root.Thumbprint, $intermediate.Thumbprint) | Sort-Object)
            Set-SmimeCertificateCollection -Path (Join-Path $pki 'chain.txt') -Append -WarningAction SilentlyContinue
            @(Get-Thumbprints).Count | Should -Be 2
        }

        It 'takes certificate objects from the pipeline' {
            $root, $intermediate, $v1Root | Set-SmimeCertificateCollection
            Get-Thumbprints | Should -Be @($root.Thumbprint, $intermediate.Thumbprint, $v1Root.Thumbprint)
        }

        It 'takes raw bytes' {
            Set-SmimeCertificateCollection -RawData ([Text.Encoding]::ASCII.GetBytes((ConvertTo-Pem $ecRoot)))
            Get-Thumbprints | Should -Be @($ecRoot.Thumbprint)
        }

        It 'takes the paths of piped files' {
            Get-ChildItem (Join-Path $pki 'root.cer') | Set-SmimeCertificateCollection
            Get-Thumbprints | Should -Be @($root.Thumbprint)
        }

        It 'imports the real Windows root store, skipping exactly the expired roots' {
            $sst = Join-Path $PSScriptRoot '../../shared/testdata/windows-roots.sst'
            # Count the expired roots independently: walk the SST elements here and let .NET parse each certificate.
            $bytes = [IO.File]::ReadAllBytes($sst)
            $offset = 8
            $expected = 0
            $now = [datetime]::UtcNow
            while ($offset + 12 -le $bytes.Length) {
                $id = [BitConverter]::ToUInt32($bytes, $offset)
                $length = [BitConverter]::ToUInt32($bytes, $offset + 8)
                if ($id -eq 0) { break }
                if ($id -eq 32) {
                    $certificate = [Security.Cryptography.X509Certificates.X509Certificate2]::new([byte[]] $bytes[($offset + 12)..($offset + 11 + $length)])
                    if ($certificate.NotAfter.ToUniversalTime() -lt $now) { $expected++ }
                }
                $offset += 12 + $length
            }

            Set-SmimeCertificateCollection -Path $sst -SkipExpired -WarningVariable skipped -WarningAction SilentlyContinue
            $skipped.Count | Should -Be $expected
            $stored = @(Get-SmimeCertificateCollection)
            $stored.Count | Should -Be (434 - $expected)
            $stored.Status | Sort-Object -Unique | Should -Be 'Valid'
        }
    }

    Context 'replacing and appending' {
        It 'replaces the collection unless -Append is given, ignoring duplicates' {
            Set-SmimeCertificateCollection -Path (Join-Path $pki 'chain.pem')
            Set-SmimeCertificateCollection -Path (Join-Path $pki 'ec-root.crt')
            Get-Thumbprints | Should -Be @($ecRoot.Thumbprint)

            Set-SmimeCertificateCollection -Path (Join-Path $pki 'chain.pem') -Append
            Set-SmimeCertificateCollection -Path (Join-Path $pki 'root.cer') -Append -WarningVariable warnings -WarningAction SilentlyContinue
            Get-Thumbprints | Should -Be @($ecRoot.Thumbprint, $root.Thumbprint, $intermediate.Thumbprint)
            $warnings.Message | Should -BeLike '*no settings*have been modified*'
        }

        It 'returns the collection with -PassThru' {
            $result = Set-SmimeCertificateCollection -Path (Join-Path $pki 'chain.pem') -PassThru
            $result[0].PSObject.TypeNames[0] | Should -BeExactly 'SmimeAdmin.SmimeCertificateInfo'
            $result.Thumbprint | Should -Be @($root.Thumbprint, $intermediate.Thumbprint)
        }

        It 'writes nothing with -WhatIf' {
            Set-SmimeCertificateCollection -Path (Join-Path $pki 'root.cer')
            $before = Get-StoreSnapshot $store
            Set-SmimeCertificateCollection -Path (Join-Path $pki 'ec-root.crt') -WhatIf
            Get-StoreSnapshot $store | Should -Be $before
        }

        # The folder store's file layout; the directory store's is tested in xunit (LdapSmimeStoreTests).
        It 'keeps the collection as a real .sst file, audited' -Skip:($env:SMIMEADMIN_TEST_STORE -eq 'Ldap') {
            Set-SmimeCertificateCollection -Path (Join-Path $pki 'chain.pem')
            $file = Get-ChildItem (Join-Path $store 'organizations/contoso.com') -Filter 'collection.*.sst'
            $file | Should -HaveCount 1
            $bytes = [IO.File]::ReadAllBytes($file.FullName)
            [BitConverter]::ToUInt32($bytes, 4) | Should -Be 0x54524543
            $entry = Get-SmimeAuditLog -Property SMIMECertificateIssuingCA
            $entry.Command | Should -BeExactly 'Set-SmimeCertificateCollection'
            $entry.NewValue | Should -BeLike "2 certificate(s): $($root.Thumbprint), $($intermediate.Thumbprint)"
        }

        It 'sets what Get-SmimeConfig reports for the collection' {
            Set-SmimeCertificateCollection -Path (Join-Path $pki 'chain.pem')
            $config = Get-SmimeConfig
            $config.SMIMECertificateIssuingCA | Should -Not -BeNullOrEmpty
            $config.SMIMECertificatesExpiryDate | Should -Be $intermediate.NotAfter.ToUniversalTime()
            $config.SMIMEExpiredCertificateThumbprint | Should -BeExactly $intermediate.Thumbprint
        }
    }

    Context 'errors, after which nothing is stored' {
        BeforeEach {
            Set-SmimeCertificateCollection -Path (Join-Path $pki 'root.cer')
            $before = Get-StoreSnapshot $store
        }

        It 'refuses an expired certificate, naming it' {
            Set-SmimeCertificateCollection -Certificate $expiredRoot, $ecRoot -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeExactly "CertificateExpired,$commandName"
            $failures[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
            $failures[0].TargetObject | Should -BeExactly $expiredRoot.Thumbprint
            $failures[0].Exception.Message | Should -BeLike "*Expired Root*$($expiredRoot.Thumbprint)*-SkipExpired*"
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'stores the rest with -SkipExpired and warns once per skipped certificate' {
            Set-SmimeCertificateCollection -Certificate $expiredRoot, $ecRoot -SkipExpired -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -HaveCount 1
            $warnings[0].Message | Should -BeLike "*$($expiredRoot.Thumbprint)*"
            Get-Thumbprints | Should -Be @($ecRoot.Thumbprint)
        }

        It 'refuses a certificate that is not a CA' {
            Set-SmimeCertificateCollection -Certificate $root, $intermediate, $leaf -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeExactly "NotCertificateAuthority,$commandName"
            $failures[0].TargetObject | Should -BeExactly $leaf.Thumbprint
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'refuses an intermediate whose issuer is not in the collection, one error per certificate' {
            Set-SmimeCertificateCollection -Certificate $intermediate, $orphan -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures | Should -HaveCount 2
            $failures.FullyQualifiedErrorId | Sort-Object -Unique | Should -Be "IssuerNotInCollection,$commandName"
            $failures.TargetObject | Sort-Object | Should -Be (@($intermediate.Thumbprint, $orphan.Thumbprint) | Sort-Object)
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'accepts the same intermediate once its root is in the collection' {
            Set-SmimeCertificateCollection -Certificate $intermediate -Append
            Get-Thumbprints | Should -Be @($root.Thumbprint, $intermediate.Thumbprint)
        }

        It 'refuses a file in no certificate format, naming the file' {
            $bad = Join-Path $pki 'not-a-cert.cer'
            Set-SmimeCertificateCollection -Path (Join-Path $pki 'ec-root.crt'), $bad -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeExactly "InvalidCertificateData,$commandName"
            $failures[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $failures[0].TargetObject | Should -BeExactly $bad
            $failures[0].Exception.Message | Should -BeLike '*offset*'
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'reports a path it cannot read, naming it' {
            Set-SmimeCertificateCollection -Path $pki -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures[0].FullyQualifiedErrorId | Should -BeExactly "FileUnreadable,$commandName"
            $failures[0].CategoryInfo.Category | Should -Be 'ReadError'
            $failures[0].TargetObject | Should -BeExactly $pki
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'reports a path that matches nothing' {
            Set-SmimeCertificateCollection -Path (Join-Path $pki 'missing-*.pem') -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures[0].FullyQualifiedErrorId | Should -BeExactly "PathNotFound,$commandName"
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'refuses to store an empty collection' {
            { Set-SmimeCertificateCollection -Certificate $expiredRoot -SkipExpired -WarningAction SilentlyContinue } |
                Should -Throw -ErrorId "NoCertificates,$commandName"
            Get-StoreSnapshot $store | Should -Be $before
        }
    }
}
