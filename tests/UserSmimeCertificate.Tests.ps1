BeforeDiscovery {
    # For -Skip, which is read at discovery; BeforeAll sets the same for the tests' bodies.
    $onDirectory = $env:SMIMEADMIN_TEST_STORE -eq 'Ldap'
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CertificateFactory.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    $pki = Join-Path $TestDrive 'pki'
    New-Item -ItemType Directory -Path $pki | Out-Null
    $now = [datetime]::UtcNow
    $root = New-TestCertificate -Name 'Root CA' -CertificateAuthority -NotBefore $now.AddYears(-3) -NotAfter $now.AddYears(10)
    $intermediate = New-TestCertificate -Name 'Issuing CA' -Issuer $root -CertificateAuthority -NotBefore $now.AddYears(-2) -NotAfter $now.AddYears(5)
    $alice = New-TestCertificate -Name 'Alice' -Issuer $intermediate -Email 'alice@contoso.com'
    $aliceRenewed = New-TestCertificate -Name 'Alice' -Issuer $intermediate -Email 'alice@contoso.com' -NotAfter $now.AddYears(2)
    $bob = New-TestCertificate -Name 'Bob' -Issuer $intermediate -Email 'bob@contoso.com'
    $carol = New-TestUserCertificate -Name 'Carol' -Issuer $intermediate -Email 'carol@contoso.com' -KeyType EC -KeyUsage 'DigitalSignature, KeyAgreement'
    $alias = New-TestCertificate -Name 'Dan' -Issuer $intermediate -Email 'dan.alias@contoso.com'
    $expiring = New-TestCertificate -Name 'Erin' -Issuer $intermediate -Email 'erin@contoso.com' -NotAfter $now.AddDays(10)
    $expired = New-TestCertificate -Name 'Frank' -Issuer $intermediate -Email 'frank@contoso.com' -NotBefore $now.AddDays(-400) -NotAfter $now.AddDays(-1)
    $otherRoot = New-TestCertificate -Name 'Other Root' -CertificateAuthority -NotBefore $now.AddYears(-1) -NotAfter $now.AddYears(5)
    $stranger = New-TestCertificate -Name 'Stranger' -Issuer $otherRoot -Email 'stranger@contoso.com'
    $unreachableCrl = New-TestUserCertificate -Name 'Grace' -Issuer $intermediate -Email 'grace@contoso.com' -CrlDistributionPoint 'http://127.0.0.1:9/issuing.crl'

    $password = 'pfx.test.only'
    $securePassword = ConvertTo-SecureString $password -AsPlainText -Force
    [IO.File]::WriteAllText((Join-Path $pki 'alice.pem'), (ConvertTo-Pem $alice, $intermediate))
    [IO.File]::WriteAllText((Join-Path $pki 'alice-renewed.pem'), (ConvertTo-Pem $aliceRenewed))
    [IO.File]::WriteAllBytes((Join-Path $pki 'bob.cer'), $bob.RawData)
    [IO.File]::WriteAllBytes((Join-Path $pki 'bob.pfx'), $bob.Export('Pfx', $password))
    [IO.File]::WriteAllBytes((Join-Path $pki 'carol.cer'), $carol.RawData)
    [IO.File]::WriteAllBytes((Join-Path $pki 'dan.cer'), $alias.RawData)
    [IO.File]::WriteAllBytes((Join-Path $pki 'erin.cer'), $expiring.RawData)
    [IO.File]::WriteAllBytes((Join-Path $pki 'frank.cer'), $expired.RawData)
    [IO.File]::WriteAllBytes((Join-Path $pki 'stranger.cer'), $stranger.RawData)
    [IO.File]::WriteAllBytes((Join-Path $pki 'grace.cer'), $unreachableCrl.RawData)
    [IO.File]::WriteAllText((Join-Path $pki 'garbage.cer'), 'not a certificate')
    # A p7b of Bob with his chain, as openssl writes it.
    $bobWithChain = Join-Path $pki 'bob-chain.pem'
    [IO.File]::WriteAllText($bobWithChain, (ConvertTo-Pem $bob, $intermediate))
    & openssl crl2pkcs7 -nocrl -certfile $bobWithChain -outform DER -out (Join-Path $pki 'bob.p7b') 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'openssl could not write the p7b.' }

    # The directory store reads addresses from the directory and never creates users; the folder store creates
    # recipients and sets their proxy addresses when publishing (-EmailAddresses).
    $onDirectory = (Get-TestStoreKind) -eq 'Ldap'
    $users = 'alice', 'bob', 'bob2', 'carol', 'erin', 'frank', 'grace', 'stranger' | ForEach-Object { "$_@contoso.com" }
    $usersButAlice = $users | Where-Object { $_ -ne 'alice@contoso.com' }

    function Save-AttributeValue {
        # Writes a published attribute value to a file for openssl, and returns the path.
        param([Parameter(Mandatory)] $Published, [Parameter(Mandatory)] [string] $Name)
        $path = Join-Path $TestDrive $Name
        [IO.File]::WriteAllBytes($path, $Published.AttributeValue)
        $path
    }
}

Describe 'Publish-UserSmimeCertificate' {
    BeforeEach {
        $store = Connect-TestStore -Collection $root, $intermediate
        Add-TestRecipient -Store $store -Address $usersButAlice
        Add-TestRecipient -Store $store -Address 'alice@contoso.com' -ProxyAddress 'a.smith@contoso.com'
        Add-TestRecipient -Store $store -Address 'dan@contoso.com' -ProxyAddress 'dan.alias@contoso.com', 'd@contoso.com'
        # The proxy addresses as the folder store takes them; the directory already has them.
        $danProxies = if ($onDirectory) { @{} } else { @{ EmailAddresses = 'dan.alias@contoso.com; d@contoso.com' } }
    }

    Context 'a valid certificate' {
        It 'writes both attributes from a PEM file (in the folder store, creating the recipient)' {
            $published = Publish-UserSmimeCertificate -Identity 'alice@contoso.com' -Path (Join-Path $pki 'alice.pem') -PassThru

            $published | Should -HaveCount 2
            $published.Attribute | Should -Be @('userCertificate', 'userSMIMECertificate')
            $published.Thumbprint | Should -Be @($alice.Thumbprint, $alice.Thumbprint)
            $published[0].Identity | Should -BeExactly 'alice@contoso.com'
            $published[0].Organization | Should -BeExactly 'contoso.com'
            $published[0].Status | Should -BeExactly 'Valid'
            $published[0].EmailAddresses | Should -Be @('alice@contoso.com')
            $published[0].AttributeValue | Should -Be $alice.RawData
            $published[0].Certificate.Thumbprint | Should -BeExactly $alice.Thumbprint
            $published[1].IsSigned | Should -BeFalse
        }

        It 'accepts .cer, .p7b and certificate objects' {
            Publish-UserSmimeCertificate 'bob@contoso.com' (Join-Path $pki 'bob.cer')
            Publish-UserSmimeCertificate 'bob2@contoso.com' (Join-Path $pki 'bob.p7b') -Force -WarningAction SilentlyContinue
            Publish-UserSmimeCertificate -Identity 'carol@contoso.com' -Certificate $carol, $intermediate

            (Get-UserSmimeCertificate 'bob@contoso.com').Thumbprint | Should -Be @($bob.Thumbprint, $bob.Thumbprint)
            (Get-UserSmimeCertificate 'carol@contoso.com').Thumbprint | Should -Be @($carol.Thumbprint, $carol.Thumbprint)
        }

        It 'signs the userSMIMECertificate with the key of a .pfx and never stores the key' {
            $published = Publish-UserSmimeCertificate 'bob@contoso.com' (Join-Path $pki 'bob.pfx') -Password $securePassword -PassThru

            $blob = $published | Where-Object Attribute -EQ 'userSMIMECertificate'
            $blob.IsSigned | Should -BeTrue
            & openssl cms -verify -inform DER -in (Save-AttributeValue $blob 'bob-signed.p7m') -noverify -content /dev/null -binary -out /dev/null 2>$null
            $LASTEXITCODE | Should -Be 0 -Because 'the blob is signed with Bob''s key over empty content'

            # The store's content: its files, or every attribute of the directory (binary values decoded).
            $privateExponent = [Convert]::ToHexString([System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($bob).ExportParameters($true).D)
            $contents = if ($onDirectory) {
                $lines = Get-StoreSnapshot $store
                $lines
                $lines | Where-Object { $_ -match '^[^:]+:: (.+)$' } | ForEach-Object { [Convert]::ToHexString([Convert]::FromBase64String($Matches[1])) }
            } else {
                Get-ChildItem -Path $store -Recurse -File | ForEach-Object {
                    Get-Content -Raw -LiteralPath $_.FullName
                    [Convert]::ToHexString([IO.File]::ReadAllBytes($_.FullName))
                }
            }
            ($contents -join "`n") | Should -Match ([regex]::Escape($bob.Thumbprint.Substring(0, 8))) -Because 'the scan must see the published values'
            foreach ($content in $contents) {
                $content | Should -Not -Match 'PRIVATE KEY'
                $content.Contains($privateExponent) | Should -BeFalse
                $content.Contains($password) | Should -BeFalse
            }
        }

        It 'writes blobs that openssl cms and pkcs7 read, with the capabilities and chain the settings ask for' {
            Set-SmimeConfig -OWAEncryptionAlgorithms '660E;6610' -OWAIncludeCertificateChainAndRootCertificate $true
            $blob = Publish-UserSmimeCertificate 'bob@contoso.com' (Join-Path $pki 'bob.pfx') -Password $securePassword -PassThru |
                Where-Object Attribute -EQ 'userSMIMECertificate'
            $path = Save-AttributeValue $blob 'bob.p7m'

            $printed = & openssl cms -cmsout -print -inform DER -in $path 2>&1
            $LASTEXITCODE | Should -Be 0
            ($printed -join "`n") | Should -Match 'pkcs7-signedData'
            ($printed -join "`n") | Should -Match 'S/MIME Capabilities'
            ($printed -join "`n") | Should -Match 'aes-128-cbc(.|\n)*aes-256-cbc'

            $certificates = & openssl pkcs7 -print_certs -inform DER -in $path 2>&1
            $LASTEXITCODE | Should -Be 0
            $subjects = @($certificates | Where-Object { $_ -like 'subject=*' })
            $subjects | Should -HaveCount 3 -Because 'the pfx has only Bob''s certificate; the chain and root come from the collection'
            ($subjects -join "`n") | Should -Match 'CN = Bob'
            ($subjects -join "`n") | Should -Match 'CN = Issuing CA'
            ($subjects -join "`n") | Should -Match 'CN = Root CA'
        }

        It 'leaves the chain out by default, as Exchange does' {
            $blob = Publish-UserSmimeCertificate 'alice@contoso.com' (Join-Path $pki 'alice.pem') -PassThru | Where-Object Attribute -EQ 'userSMIMECertificate'

            $subjects = @(& openssl pkcs7 -print_certs -inform DER -in (Save-AttributeValue $blob 'alice.p7m') | Where-Object { $_ -like 'subject=*' })
            $subjects | Should -HaveCount 1
        }

        It 'writes only the chosen attribute' {
            Publish-UserSmimeCertificate 'alice@contoso.com' (Join-Path $pki 'alice.pem') -Attribute UserCertificate

            (Get-UserSmimeCertificate 'alice@contoso.com').Attribute | Should -Be @('userCertificate')
        }

        It 'replaces earlier certificates, or keeps them with -Append' {
            Publish-UserSmimeCertificate 'alice@contoso.com' (Join-Path $pki 'alice.pem')
            Publish-UserSmimeCertificate 'alice@contoso.com' (Join-Path $pki 'alice-renewed.pem') -Append
            $both = Get-UserSmimeCertificate 'alice@contoso.com'
            Publish-UserSmimeCertificate 'alice@contoso.com' (Join-Path $pki 'alice-renewed.pem')
            $renewedOnly = Get-UserSmimeCertificate 'alice@contoso.com'

            $both | Should -HaveCount 4
            ($both | Where-Object Attribute -EQ 'userCertificate').Thumbprint | Should -Be @($alice.Thumbprint, $aliceRenewed.Thumbprint)
            ($both | Where-Object Attribute -EQ 'userSMIMECertificate').Thumbprint | Should -Be @($alice.Thumbprint, $aliceRenewed.Thumbprint)
            $renewedOnly.Thumbprint | Should -Be @($aliceRenewed.Thumbprint, $aliceRenewed.Thumbprint)
        }

        It 'audits the publication and changes nothing when published again' {
            Publish-UserSmimeCertificate 'alice@contoso.com' (Join-Path $pki 'alice.pem')
            $before = Get-StoreSnapshot $store
            $verbose = Publish-UserSmimeCertificate 'ALICE@contoso.com' (Join-Path $pki 'alice.pem') -Verbose 4>&1

            ($verbose -join "`n") | Should -Match 'already has these certificates published'

            Get-StoreSnapshot $store | Should -Be $before
            $audit = Get-SmimeAuditLog | Where-Object Command -EQ 'Publish-UserSmimeCertificate'
            $audit.Property | Should -Be @('PrimarySmtpAddress', 'userCertificate', 'userSMIMECertificate')
            ($audit | Where-Object Property -EQ 'userCertificate').NewValue | Should -BeExactly $alice.Thumbprint
        }

        It 'changes nothing with -WhatIf' {
            $before = Get-StoreSnapshot $store

            Publish-UserSmimeCertificate 'alice@contoso.com' (Join-Path $pki 'alice.pem') -WhatIf

            Get-StoreSnapshot $store | Should -Be $before
            Get-UserSmimeCertificate | Should -BeNullOrEmpty
        }

        It 'publishes with a warning when the CRL cannot be fetched and OWACheckCRLOnSend is off' {
            Set-SmimeConfig -OWADisableCRLCheck $false -OWACheckCRLOnSend $false -OWACRLRetrievalTimeout 2000

            Publish-UserSmimeCertificate 'grace@contoso.com' (Join-Path $pki 'grace.cer') -WarningVariable warnings -WarningAction SilentlyContinue

            $warnings | Should -Not -BeNullOrEmpty
            ($warnings -join ' ') | Should -Match 'revocation'
            Get-UserSmimeCertificate 'grace@contoso.com' | Should -HaveCount 2
        }
    }

    Context 'addresses' {
        It 'accepts a certificate for a proxy address, and finds the recipient by any of them' {
            Publish-UserSmimeCertificate 'dan@contoso.com' (Join-Path $pki 'dan.cer') @danProxies

            $published = Get-UserSmimeCertificate 'dan.alias@contoso.com'
            $published.Identity | Should -Be @('dan@contoso.com', 'dan@contoso.com')
            (Get-UserSmimeCertificate 'd@*').Thumbprint | Should -Be @($alias.Thumbprint, $alias.Thumbprint)
        }

        It 'refuses a certificate for a proxy address when OWAUseSecondaryProxiesWhenFindingCertificates is off' {
            Set-SmimeConfig -OWAUseSecondaryProxiesWhenFindingCertificates $false

            Publish-UserSmimeCertificate 'dan@contoso.com' (Join-Path $pki 'dan.cer') @danProxies -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeExactly 'CertificateValidationFailed,SmimeAdmin.Commands.PublishUserSmimeCertificateCommand'
            $failures[0].Exception.Message | Should -Match 'AddressMismatch'
        }

        It 'refuses an identity that is not an SMTP address' {
            Publish-UserSmimeCertificate 'not an address' (Join-Path $pki 'alice.pem') -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidRecipientAddress,SmimeAdmin.Commands.PublishUserSmimeCertificateCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failures[0].TargetObject | Should -BeExactly 'not an address'
        }

        It 'refuses a proxy address that belongs to another recipient' -Skip:$onDirectory {
            Publish-UserSmimeCertificate 'alice@contoso.com' (Join-Path $pki 'alice.pem')

            Publish-UserSmimeCertificate 'bob@contoso.com' (Join-Path $pki 'bob.cer') -EmailAddresses 'alice@contoso.com' -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures[0].FullyQualifiedErrorId | Should -BeExactly 'RecipientAddressInUse,SmimeAdmin.Commands.PublishUserSmimeCertificateCommand'
            Get-UserSmimeCertificate 'bob@contoso.com' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
    }

    Context 'a directory store' {
        It 'publishes only to users the directory has, and leaves their addresses to it' -Skip:(-not $onDirectory) {
            Publish-UserSmimeCertificate 'nobody@contoso.com' (Join-Path $pki 'alice.pem') -Force -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -ErrorVariable missing
            Publish-UserSmimeCertificate 'bob@contoso.com' (Join-Path $pki 'bob.cer') -EmailAddresses 'b@contoso.com' -ErrorAction SilentlyContinue -ErrorVariable readOnly

            $missing | Should -HaveCount 1
            $missing[0].FullyQualifiedErrorId | Should -BeExactly 'RecipientNotFound,SmimeAdmin.Commands.PublishUserSmimeCertificateCommand'
            $missing[0].TargetObject | Should -BeExactly 'nobody@contoso.com'
            $readOnly | Should -HaveCount 1
            $readOnly[0].Exception.Message | Should -Match 'proxy'
            Get-UserSmimeCertificate 'bob@contoso.com' | Should -BeNullOrEmpty
        }
    }

    Context 'refused input' {
        It 'refuses a certificate that does not chain to the collection, and stores nothing' {
            $before = Get-StoreSnapshot $store

            Publish-UserSmimeCertificate 'stranger@contoso.com' (Join-Path $pki 'stranger.cer') -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeExactly 'CertificateValidationFailed,SmimeAdmin.Commands.PublishUserSmimeCertificateCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'SecurityError'
            $failures[0].TargetObject | Should -BeExactly 'stranger@contoso.com'
            $failures[0].Exception.Message | Should -Match 'ChainNotTrusted'
            $failures[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'publishes it anyway with -Force, with a warning' {
            Publish-UserSmimeCertificate 'frank@contoso.com' (Join-Path $pki 'frank.cer') -Force -WarningVariable warnings -WarningAction SilentlyContinue

            ($warnings -join ' ') | Should -Match 'Expired'
            (Get-UserSmimeCertificate 'frank@contoso.com').Status | Should -Be @('Expired', 'Expired')
        }

        It 'reports <Case> with <Id>' -ForEach @(
            @{ Case = 'a missing file'; File = 'missing.cer'; Id = 'PathNotFound'; Password = $null }
            @{ Case = 'a file in no certificate format'; File = 'garbage.cer'; Id = 'InvalidCertificateData'; Password = $null }
            @{ Case = 'a wrong .pfx password'; File = 'bob.pfx'; Id = 'CertificatePasswordInvalid'; Password = 'wrong' }
            @{ Case = 'a .pfx without its password'; File = 'bob.pfx'; Id = 'CertificatePasswordInvalid'; Password = $null }
        ) {
            $arguments = @{ Identity = 'bob@contoso.com'; Path = (Join-Path $pki $File) }
            if ($Password) { $arguments.Password = ConvertTo-SecureString $Password -AsPlainText -Force }

            Publish-UserSmimeCertificate @arguments -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -BeExactly "$Id,SmimeAdmin.Commands.PublishUserSmimeCertificateCommand"
            $failures[0].TargetObject | Should -Match ([regex]::Escape($File))
            Get-UserSmimeCertificate 'bob@contoso.com' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
    }

    Context 'a pipeline from Import-Csv' {
        BeforeEach {
            $csv = Join-Path $TestDrive "users-$([guid]::NewGuid()).csv"
            $rows = @(
                [pscustomobject]@{ Identity = 'alice@contoso.com'; Path = (Join-Path $pki 'alice.pem'); EmailAddresses = 'a.smith@contoso.com' }
                [pscustomobject]@{ Identity = 'stranger@contoso.com'; Path = (Join-Path $pki 'stranger.cer'); EmailAddresses = '' }
                [pscustomobject]@{ Identity = 'bob@contoso.com'; Path = (Join-Path $pki 'bob.cer'); EmailAddresses = '' }
            )
            if ($onDirectory) {
                # The directory has Alice's proxy address already; the rows name none (an empty cell changes nothing).
                $rows[0].EmailAddresses = ''
            }
            $rows | Export-Csv -Path $csv -NoTypeInformation
        }

        It 'publishes each row, and a refused row does not stop the others' {
            Import-Csv $csv | Publish-UserSmimeCertificate -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures | Should -HaveCount 1
            $failures[0].TargetObject | Should -BeExactly 'stranger@contoso.com'
            (Get-UserSmimeCertificate).Identity | Select-Object -Unique | Should -Be @('alice@contoso.com', 'bob@contoso.com')
            (Get-UserSmimeCertificate 'a.smith@contoso.com').Thumbprint | Should -Be @($alice.Thumbprint, $alice.Thumbprint)
        }

        It 'leaves the proxy addresses alone for an empty cell' {
            Import-Csv $csv | Publish-UserSmimeCertificate -ErrorAction SilentlyContinue
            $rows[0].EmailAddresses = ''
            $rows[0].Path = Join-Path $pki 'alice-renewed.pem'
            $rows[0] | Export-Csv -Path $csv -NoTypeInformation

            Import-Csv $csv | Publish-UserSmimeCertificate

            (Get-UserSmimeCertificate 'a.smith@contoso.com').Thumbprint | Should -Be @($aliceRenewed.Thumbprint, $aliceRenewed.Thumbprint)
        }

        # The child runspace connects to a folder store; progress does not depend on the store.
        It 'reports the count as progress' -Skip:$onDirectory {
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript("Import-Module '$(Get-TestModulePath)'; Connect-SmimeStore -Path '$store' -Organization 'contoso.com'; Import-Csv '$csv' | Publish-UserSmimeCertificate -ErrorAction SilentlyContinue").Invoke()
                $completed = @($shell.Streams.Progress | Where-Object RecordType -EQ 'Completed')
            }
            finally {
                $shell.Dispose()
            }

            $completed | Should -HaveCount 1
            $completed[0].Activity | Should -BeExactly 'Publish-UserSmimeCertificate'
            $completed[0].StatusDescription | Should -BeExactly '3 processed: 2 published, 1 failed'
        }
    }
}

Describe 'Get-UserSmimeCertificate' {
    BeforeAll {
        $store = Connect-TestStore -Collection $root, $intermediate
        Add-TestRecipient -Store $store -Address $users
        Publish-UserSmimeCertificate 'alice@contoso.com' (Join-Path $pki 'alice.pem')
        Publish-UserSmimeCertificate 'bob@contoso.com' (Join-Path $pki 'bob.cer') -Attribute UserCertificate
        Publish-UserSmimeCertificate 'erin@contoso.com' (Join-Path $pki 'erin.cer')
        Publish-UserSmimeCertificate 'frank@contoso.com' (Join-Path $pki 'frank.cer') -Force -WarningAction SilentlyContinue
    }

    It 'lists every published certificate, ordered by recipient' {
        $all = Get-UserSmimeCertificate

        $all | Should -HaveCount 7
        $all | ForEach-Object { $_ | Should -BeOfType ([SmimeAdmin.SmimeUserCertificate]) }
        ($all.Identity | Select-Object -Unique) | Should -Be @('alice@contoso.com', 'bob@contoso.com', 'erin@contoso.com', 'frank@contoso.com')
    }

    It 'matches identities with wildcards and by pipeline' {
        (Get-UserSmimeCertificate 'b*').Identity | Should -Be @('bob@contoso.com')
        ('alice@contoso.com', 'bob@contoso.com' | Get-UserSmimeCertificate) | Should -HaveCount 3
        Get-UserSmimeCertificate 'nobody*' | Should -BeNullOrEmpty
    }

    It 'filters by attribute' {
        (Get-UserSmimeCertificate -Attribute UserSMIMECertificate).Identity | Should -Be @('alice@contoso.com', 'erin@contoso.com', 'frank@contoso.com')
    }

    It 'finds expired and soon-expiring certificates' {
        (Get-UserSmimeCertificate -Expired).Identity | Select-Object -Unique | Should -Be @('frank@contoso.com')
        (Get-UserSmimeCertificate -ExpiringWithin (New-TimeSpan -Days 30)).Identity | Select-Object -Unique | Should -Be @('erin@contoso.com')
        (Get-UserSmimeCertificate -ExpiringWithin (New-TimeSpan -Days 30) -Expired).Identity | Select-Object -Unique | Should -Be @('erin@contoso.com', 'frank@contoso.com')
    }

    It 'reports an unknown identity without stopping' {
        $found = Get-UserSmimeCertificate 'nobody@contoso.com', 'bob@contoso.com' -ErrorAction SilentlyContinue -ErrorVariable failures

        $found.Identity | Should -Be @('bob@contoso.com')
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'RecipientNotFound,SmimeAdmin.Commands.GetUserSmimeCertificateCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -BeExactly 'nobody@contoso.com'
    }

    It 'shows a table of identity, attribute, thumbprint, status and expiry' {
        $table = Get-UserSmimeCertificate 'frank@contoso.com' | Out-String -Width 200

        $table | Should -Match 'Identity\s+Attribute\s+Thumbprint\s+Status\s+NotAfter\s+Subject'
        $table | Should -Match "frank@contoso.com\s+userCertificate\s+$($expired.Thumbprint)\s+Expired"
    }
}

Describe 'Unpublish-UserSmimeCertificate' {
    BeforeEach {
        $store = Connect-TestStore -Collection $root, $intermediate
        Add-TestRecipient -Store $store -Address $users
        Publish-UserSmimeCertificate 'alice@contoso.com' (Join-Path $pki 'alice.pem')
        Publish-UserSmimeCertificate 'alice@contoso.com' (Join-Path $pki 'alice-renewed.pem') -Append
        Publish-UserSmimeCertificate 'frank@contoso.com' (Join-Path $pki 'frank.cer') -Force -WarningAction SilentlyContinue
    }

    It 'removes one certificate from both attributes, and audits it' {
        Unpublish-UserSmimeCertificate 'alice@contoso.com' -Thumbprint $alice.Thumbprint

        (Get-UserSmimeCertificate 'alice@contoso.com').Thumbprint | Should -Be @($aliceRenewed.Thumbprint, $aliceRenewed.Thumbprint)
        $audit = Get-SmimeAuditLog | Where-Object Command -EQ 'Unpublish-UserSmimeCertificate'
        ($audit | Where-Object Property -EQ 'userCertificate').OldValue | Should -BeExactly "$($alice.Thumbprint), $($aliceRenewed.Thumbprint)"
        ($audit | Where-Object Property -EQ 'userCertificate').NewValue | Should -BeExactly $aliceRenewed.Thumbprint
    }

    It 'removes every certificate without -Thumbprint, keeping the recipient' {
        Unpublish-UserSmimeCertificate 'alice@contoso.com'

        Get-UserSmimeCertificate 'alice@contoso.com' | Should -BeNullOrEmpty
        Unpublish-UserSmimeCertificate 'alice@contoso.com' -WarningVariable warnings -WarningAction SilentlyContinue
        ($warnings -join ' ') | Should -Match 'no certificates published'
    }

    It 'takes the expired certificates from Get-UserSmimeCertificate by pipeline' {
        Get-UserSmimeCertificate -Expired | Unpublish-UserSmimeCertificate

        Get-UserSmimeCertificate 'frank@contoso.com' | Should -BeNullOrEmpty
        Get-UserSmimeCertificate 'alice@contoso.com' | Should -HaveCount 4
    }

    It 'accepts thumbprints as Windows shows them' {
        $spaced = ($alice.Thumbprint.ToLowerInvariant() -split '(..)' | Where-Object { $_ }) -join ' '

        Unpublish-UserSmimeCertificate 'alice@contoso.com' -Thumbprint $spaced -Attribute UserCertificate

        (Get-UserSmimeCertificate 'alice@contoso.com' -Attribute UserCertificate).Thumbprint | Should -Be @($aliceRenewed.Thumbprint)
        Get-UserSmimeCertificate 'alice@contoso.com' -Attribute UserSMIMECertificate | Should -HaveCount 2
    }

    It 'reports a thumbprint that is not published and an unknown recipient' {
        $before = Get-StoreSnapshot $store

        Unpublish-UserSmimeCertificate 'alice@contoso.com' -Thumbprint $bob.Thumbprint -ErrorAction SilentlyContinue -ErrorVariable notPublished
        Unpublish-UserSmimeCertificate 'nobody@contoso.com' -ErrorAction SilentlyContinue -ErrorVariable unknown

        $notPublished[0].FullyQualifiedErrorId | Should -BeExactly 'CertificateNotFound,SmimeAdmin.Commands.UnpublishUserSmimeCertificateCommand'
        $notPublished[0].TargetObject | Should -BeExactly $bob.Thumbprint
        $unknown[0].FullyQualifiedErrorId | Should -BeExactly 'RecipientNotFound,SmimeAdmin.Commands.UnpublishUserSmimeCertificateCommand'
        Get-StoreSnapshot $store | Should -Be $before
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-StoreSnapshot $store

        Unpublish-UserSmimeCertificate 'alice@contoso.com' -WhatIf

        Get-StoreSnapshot $store | Should -Be $before
    }
}

Describe 'Published users in configuration files' {
    BeforeEach {
        $store = Connect-TestStore -Collection $root, $intermediate
        Add-TestRecipient -Store $store -Address $users
        Publish-UserSmimeCertificate 'alice@contoso.com' (Join-Path $pki 'alice.pem')
        Publish-UserSmimeCertificate 'bob@contoso.com' (Join-Path $pki 'bob.cer') -Attribute UserCertificate
        $file = Join-Path $TestDrive "$([guid]::NewGuid()).json"
    }

    It 'exports each published user''s thumbprints with -IncludeUsers' {
        Export-SmimeConfig -Path $file -IncludeUsers

        $recipients = @((Get-Content -LiteralPath $file -Raw | ConvertFrom-Json).recipients)
        # ForEach-Object, because an array's own Address method hides member enumeration of 'address'.
        $recipients | ForEach-Object address | Should -Be @('alice@contoso.com', 'bob@contoso.com')
        $recipients[0].userCertificate | Should -Be @($alice.Thumbprint)
        $recipients[0].userSMIMECertificate | Should -Be @($alice.Thumbprint)
        $recipients[1].userCertificate | Should -Be @($bob.Thumbprint)
        @($recipients[1].userSMIMECertificate).Count | Should -Be 0
    }

    It 'finds a certificate unpublished since the export' {
        Export-SmimeConfig -Path $file -IncludeUsers
        Test-SmimeConfig -Baseline $file | Should -BeNullOrEmpty

        Unpublish-UserSmimeCertificate 'bob@contoso.com'

        $difference = Test-SmimeConfig -Baseline $file
        $difference.Setting | Should -BeExactly 'bob@contoso.com:userCertificate'
        $difference.Expected | Should -Be @($bob.Thumbprint)
        @($difference.Actual).Count | Should -Be 0
    }
}
