# Get-, Remove- and Export-SmimeCertificateCollection, and Set-SmimeConfig -SMIMECertificateIssuingCA.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CertificateFactory.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    $pki = Join-Path $TestDrive 'pki'
    New-Item -ItemType Directory -Path $pki | Out-Null
    $root = New-TestCertificate -Name 'Root CA' -CertificateAuthority
    $intermediate = New-TestCertificate -Name 'Issuing CA' -Issuer $root -CertificateAuthority -NotAfter ([datetime]::UtcNow.AddDays(300))
    $ecRoot = New-TestCertificate -Name 'EC Root' -CertificateAuthority -KeyType EC -NotAfter ([datetime]::UtcNow.AddDays(500))
    $expiredRoot = New-TestCertificate -Name 'Expired Root' -CertificateAuthority -NotBefore ([datetime]::UtcNow.AddYears(-3)) -NotAfter ([datetime]::UtcNow.AddDays(-1))

    function Get-SstBytes {
        # A serialized store written by the module itself, for Exchange-style calls.
        param([Parameter(Mandatory)] $Certificate)
        $scratch = Join-Path $TestDrive ([guid]::NewGuid())
        Connect-SmimeStore -Path $scratch -Organization 'scratch'
        $Certificate | Set-SmimeCertificateCollection -SkipExpired -WarningAction SilentlyContinue
        $file = Join-Path $TestDrive "$([guid]::NewGuid()).sst"
        Export-SmimeCertificateCollection -Path $file -Format Sst | Out-Null
        [IO.File]::ReadAllBytes($file)
    }
}

Describe 'Get-SmimeCertificateCollection' {
    BeforeEach {
        Connect-TestStore -Organization 'contoso.com' | Out-Null
        $root, $intermediate, $ecRoot | Set-SmimeCertificateCollection
    }

    It 'describes each certificate' {
        $entry = Get-SmimeCertificateCollection -Thumbprint $intermediate.Thumbprint.ToLowerInvariant()
        $entry.Subject | Should -BeExactly $intermediate.Subject
        $entry.Issuer | Should -BeExactly $root.Subject
        $entry.SerialNumber | Should -BeExactly $intermediate.SerialNumber
        $entry.NotAfter | Should -Be $intermediate.NotAfter
        $entry.NotBefore | Should -Be $intermediate.NotBefore
        $entry.IsRoot | Should -BeFalse
        $entry.KeyAlgorithm | Should -BeExactly 'RSA'
        $entry.KeySize | Should -Be 2048
        $entry.SignatureAlgorithm | Should -BeExactly 'sha256RSA'
        $entry.Status | Should -BeExactly 'Valid'
        $entry.Organization | Should -BeExactly 'contoso.com'
        $entry.RawData | Should -Be $intermediate.RawData
        (Get-SmimeCertificateCollection -Thumbprint $ecRoot.Thumbprint).KeyAlgorithm | Should -BeExactly 'EC'
        (Get-SmimeCertificateCollection -Thumbprint $ecRoot.Thumbprint).KeySize | Should -Be 256
        (Get-SmimeCertificateCollection -Thumbprint $root.Thumbprint).IsRoot | Should -BeTrue
    }

    It 'filters by subject with wildcards' {
        (Get-SmimeCertificateCollection -Subject '*Root*').Thumbprint | Should -Be @($root.Thumbprint, $ecRoot.Thumbprint)
    }

    It 'lists only expired certificates with -Expired' {
        Get-SmimeCertificateCollection -Expired | Should -BeNullOrEmpty
    }

    It 'shows a table whose first column is the thumbprint' {
        $header = (Get-SmimeCertificateCollection | Out-String -Width 200 -Stream | Where-Object { $_ -match '\S' } | Select-Object -First 1)
        $header.Trim() | Should -Match '^Thumbprint\s+Status\s+NotAfter\s+Root\s+Subject$'
    }

    It 'lists nothing for an organization without a collection' {
        Get-SmimeCertificateCollection -Identity 'empty.example' | Should -BeNullOrEmpty
    }
}

Describe 'Remove-SmimeCertificateCollectionEntry' {
    BeforeEach {
        $store = Connect-TestStore -Organization 'contoso.com'
        $root, $intermediate, $ecRoot | Set-SmimeCertificateCollection
    }

    It 'removes by thumbprint, from the pipeline, in one audited change' {
        Get-SmimeCertificateCollection -Subject '*EC*' | Remove-SmimeCertificateCollectionEntry -Confirm:$false
        (Get-SmimeCertificateCollection).Thumbprint | Should -Be @($root.Thumbprint, $intermediate.Thumbprint)
        (Get-SmimeAuditLog -Property SMIMECertificateIssuingCA | Select-Object -Last 1).Command | Should -BeExactly 'Remove-SmimeCertificateCollectionEntry'
    }

    It 'refuses a removal that leaves an intermediate without its issuer' {
        $before = Get-StoreSnapshot $store
        Remove-SmimeCertificateCollectionEntry -Thumbprint $root.Thumbprint -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'IssuerNotInCollection,SmimeAdmin.Commands.RemoveSmimeCertificateCollectionEntryCommand'
        $failures[0].TargetObject | Should -BeExactly $intermediate.Thumbprint
        Get-StoreSnapshot $store | Should -Be $before
    }

    It 'reports a thumbprint that is not in the collection and removes the others' {
        Remove-SmimeCertificateCollectionEntry -Thumbprint '00112233445566778899AABBCCDDEEFF00112233', $ecRoot.Thumbprint -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'CertificateNotFound,SmimeAdmin.Commands.RemoveSmimeCertificateCollectionEntryCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -BeExactly '00112233445566778899AABBCCDDEEFF00112233'
        @(Get-SmimeCertificateCollection).Count | Should -Be 2
    }

    It 'removes piped entries from the collection of the organization each came from' {
        $root, $ecRoot | Set-SmimeCertificateCollection -Identity 'fabrikam.com'
        @(Get-SmimeCertificateCollection -Identity 'fabrikam.com' -Thumbprint $ecRoot.Thumbprint) +
            @(Get-SmimeCertificateCollection -Thumbprint $ecRoot.Thumbprint) | Remove-SmimeCertificateCollectionEntry -Confirm:$false
        (Get-SmimeCertificateCollection).Thumbprint | Should -Be @($root.Thumbprint, $intermediate.Thumbprint)
        (Get-SmimeCertificateCollection -Identity 'fabrikam.com').Thumbprint | Should -Be @($root.Thumbprint)
    }

    It 'writes nothing with -WhatIf' {
        $before = Get-StoreSnapshot $store
        Remove-SmimeCertificateCollectionEntry -Thumbprint $ecRoot.Thumbprint -WhatIf
        Get-StoreSnapshot $store | Should -Be $before
    }

    It 'clears the collection when the last certificate goes' {
        Remove-SmimeCertificateCollectionEntry -Thumbprint $intermediate.Thumbprint, $ecRoot.Thumbprint, $root.Thumbprint -Confirm:$false
        Get-SmimeCertificateCollection | Should -BeNullOrEmpty
        (Get-SmimeConfig).SMIMECertificateIssuingCA | Should -BeNullOrEmpty
    }
}

Describe 'Export-SmimeCertificateCollection' {
    BeforeAll {
        $exportStore = Join-Path $TestDrive 'export-store'
    }

    BeforeEach {
        Connect-SmimeStore -Path $exportStore -Organization 'contoso.com'
        $root, $intermediate, $ecRoot | Set-SmimeCertificateCollection -WarningAction SilentlyContinue
    }

    It 'exports as <_> and the export imports back to the same certificates' -ForEach 'Sst', 'P7b', 'Pem' {
        $file = Join-Path $TestDrive "export.$_"
        $result = Export-SmimeCertificateCollection -Path $file -Format $_
        $result | Should -BeOfType ([IO.FileInfo])
        $result.FullName | Should -BeExactly $file

        Connect-TestStore -Organization 'fabrikam.com' | Out-Null
        Set-SmimeCertificateCollection -Path $file
        (Get-SmimeCertificateCollection).Thumbprint | Sort-Object | Should -Be (@($root.Thumbprint, $intermediate.Thumbprint, $ecRoot.Thumbprint) | Sort-Object)
    }

    It 'writes a PKCS#7 bundle that openssl reads' {
        $file = Join-Path $TestDrive 'openssl.p7b'
        Export-SmimeCertificateCollection -Path $file -Format P7b | Out-Null
        $text = & openssl pkcs7 -inform DER -in $file -print_certs -noout 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($text -join "`n")
        ($text | Where-Object { $_ -like 'subject=*' }).Count | Should -Be 3
    }

    It 'writes PEM that openssl reads certificate by certificate' {
        $file = Join-Path $TestDrive 'openssl.pem'
        Export-SmimeCertificateCollection -Path $file -Format Pem | Out-Null
        $fingerprint = & openssl x509 -in $file -noout -fingerprint -sha1
        $LASTEXITCODE | Should -Be 0
        ($fingerprint -replace '^.*=', '' -replace ':', '') | Should -BeExactly $root.Thumbprint
        $bundle = & openssl crl2pkcs7 -nocrl -certfile $file | & openssl pkcs7 -print_certs -noout
        ($bundle | Where-Object { $_ -like 'subject=*' }).Count | Should -Be 3
    }

    It 'refuses to overwrite a file with -NoClobber' {
        $file = Join-Path $TestDrive 'existing.sst'
        Set-Content -Path $file -Value 'keep me'
        { Export-SmimeCertificateCollection -Path $file -NoClobber } |
            Should -Throw -ErrorId 'FileExists,SmimeAdmin.Commands.ExportSmimeCertificateCollectionCommand'
        Get-Content $file | Should -Be 'keep me'
    }

    It 'reports a file it cannot write' {
        $record = { Export-SmimeCertificateCollection -Path (Join-Path $TestDrive 'no-such-folder/cas.sst') } |
            Should -Throw -ErrorId 'ExportFailed,SmimeAdmin.Commands.ExportSmimeCertificateCollectionCommand' -PassThru
        $record.CategoryInfo.Category | Should -Be 'WriteError'
        $record.TargetObject | Should -BeExactly (Join-Path $TestDrive 'no-such-folder/cas.sst')
    }

    It 'reports an organization without a collection' {
        { Export-SmimeCertificateCollection -Identity 'empty.example' -Path (Join-Path $TestDrive 'none.sst') } |
            Should -Throw -ErrorId 'NoCertificateCollection,SmimeAdmin.Commands.ExportSmimeCertificateCollectionCommand'
    }
}

Describe 'Set-SmimeConfig -SMIMECertificateIssuingCA' {
    BeforeAll {
        $commandName = 'SmimeAdmin.Commands.SetSmimeConfigCommand'
        $sst = Get-SstBytes -Certificate $root, $intermediate, $ecRoot
    }

    BeforeEach {
        $store = Connect-TestStore -Organization 'contoso.com'
    }

    It 'stores the SST bytes as given and derives the expiry fields, as Exchange does' {
        Set-SmimeConfig -SMIMECertificateIssuingCA $sst
        $config = Get-SmimeConfig
        $config.SMIMECertificateIssuingCA | Should -Be $sst
        $config.SMIMECertificatesExpiryDate | Should -Be $intermediate.NotAfter.ToUniversalTime()
        $config.SMIMEExpiredCertificateThumbprint | Should -BeExactly $intermediate.Thumbprint
        @(Get-SmimeCertificateCollection).Count | Should -Be 3
    }

    It 'clears the collection and its fields with $null and with an empty array' -ForEach @(@{ Value = $null }, @{ Value = [byte[]]::new(0) }) {
        Set-SmimeConfig -SMIMECertificateIssuingCA $sst
        Set-SmimeConfig -SMIMECertificateIssuingCA $Value
        $config = Get-SmimeConfig
        $config.SMIMECertificateIssuingCA | Should -BeNullOrEmpty
        $config.SMIMECertificatesExpiryDate | Should -BeNullOrEmpty
        $config.SMIMEExpiredCertificateThumbprint | Should -BeExactly ''
        if ((Get-TestStoreKind) -eq 'Folder') { Get-ChildItem -Path $store -Recurse -Filter 'collection.*.sst' | Should -BeNullOrEmpty }
    }

    It 'fails, listing every expired certificate, and stores nothing' {
        Set-SmimeConfig -OWAAlwaysSign $true
        $before = Get-StoreSnapshot $store
        $pem = [Text.Encoding]::ASCII.GetBytes((ConvertTo-Pem $root, $expiredRoot))
        $record = { Set-SmimeConfig -SMIMECertificateIssuingCA $pem -OWAAlwaysEncrypt $true } |
            Should -Throw -ErrorId "CertificateExpired,$commandName" -PassThru
        $record.CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $record.Exception.Message | Should -BeLike "*Expired Root*$($expiredRoot.Thumbprint)*"
        $record.TargetObject | Should -Be @($expiredRoot.Thumbprint)
        Get-StoreSnapshot $store | Should -Be $before
    }

    It 'refuses more than 70,000 bytes, as Exchange does' {
        $large = [IO.File]::ReadAllBytes((Join-Path $PSScriptRoot '../../shared/testdata/windows-roots.sst'))
        $record = { Set-SmimeConfig -SMIMECertificateIssuingCA $large } |
            Should -Throw -ErrorId "CertificateCollectionTooLarge,$commandName" -PassThru
        $record.CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $record.Exception.Message | Should -BeLike '*70000*Set-SmimeCertificateCollection*'
        Test-TestStoreWritten $store | Should -BeFalse
    }

    It 'refuses bytes in no certificate format' {
        $record = { Set-SmimeConfig -SMIMECertificateIssuingCA ([byte[]] (1..100)) } |
            Should -Throw -ErrorId "InvalidCertificateData,$commandName" -PassThru
        $record.CategoryInfo.Category | Should -Be 'InvalidData'
        $record.Exception.Message | Should -BeLike 'SMIMECertificateIssuingCA has wrong format*'
        Test-TestStoreWritten $store | Should -BeFalse
    }

    It 'warns that nothing changed when the same bytes are set again' {
        Set-SmimeConfig -SMIMECertificateIssuingCA $sst
        Set-SmimeConfig -SMIMECertificateIssuingCA $sst -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Message | Should -BeLike '*no settings*have been modified*'
        @(Get-SmimeAuditLog -Property SMIMECertificateIssuingCA).Count | Should -Be 1
    }
}
