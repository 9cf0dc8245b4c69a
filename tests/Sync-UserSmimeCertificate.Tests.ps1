BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    Import-Module (Join-Path $PSScriptRoot 'CertificateFactory.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSlapd.psm1') -Force
    $commandName = 'SmimeAdmin.Commands.SyncUserSmimeCertificateCommand'
    $server = Get-TestLdapServer
    $root = New-TestCertificate -Name 'Sync Root' -CertificateAuthority -KeyType EC
    $stranger = New-TestCertificate -Name 'Stranger Root' -CertificateAuthority -KeyType EC

    function Add-DirectoryUser {
        # Adds inetOrgPerson users under a base DN, each with a certificate for its address issued by -Issuer.
        param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [string] $BaseDn, [Parameter(Mandatory)] [string[]] $Uid, $Issuer)
        $ldif = foreach ($name in $Uid) {
            "dn: uid=$name,$BaseDn`nobjectClass: inetOrgPerson`nuid: $name`ncn: $name`nsn: $name`nmail: $name@contoso.com"
            if ($Issuer) {
                $certificate = New-TestUserCertificate -Name $name -Issuer $Issuer -Email "$name@contoso.com" -KeyType EC -KeyUsage DigitalSignature
                "userCertificate;binary:: $([Convert]::ToBase64String($certificate.RawData))"
            }
            ''
        }
        Invoke-TestLdif -Server $Server -Ldif ($ldif -join "`n")
    }

    function Connect-Directory {
        param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [string] $BaseDn, [string] $Organization = 'contoso.com', [switch] $PassThru)
        $credential = [pscredential]::new($Server.AdminDn, (ConvertTo-SecureString $Server.Password -AsPlainText -Force))
        Connect-SmimeStore -LdapUri $Server.Uri -BaseDN $BaseDn -Credential $credential -Organization $Organization -PassThru:$PassThru
    }

    function Initialize-Destination {
        # The destination trusts $root and checks no CRL (the test certificates name no distribution point).
        $root | Set-SmimeCertificateCollection
        Set-SmimeConfig -OWADisableCRLCheck $true
    }
}

Describe 'Sync-UserSmimeCertificate' {
    Context 'from a directory into a folder store' {
        BeforeEach {
            $sourceBase = New-TestLdapBase
            Add-DirectoryUser -Server $server -BaseDn $sourceBase -Uid 'alice', 'bob' -Issuer $root
            $source = Connect-Directory -Server $server -BaseDn $sourceBase -PassThru
            Connect-SmimeStore -Path (Join-Path $TestDrive ([guid]::NewGuid())) -Organization 'contoso.com'
            Initialize-Destination
        }

        It 'copies every valid certificate once, and a second run changes nothing' {
            $first = Sync-UserSmimeCertificate -Source $source
            $first.PSObject.TypeNames[0] | Should -BeExactly 'SmimeAdmin.SmimeCertificateSyncResult'
            $first.Added | Should -Be 2
            $first.Failed | Should -Be 0
            $second = Sync-UserSmimeCertificate -Source $source
            $second.Added, $second.Updated, $second.Removed, $second.Unchanged | Should -Be @(0, 0, 0, 2)
            @(Get-SmimeAuditLog | Where-Object Command -eq 'Sync-UserSmimeCertificate' | Where-Object Property -eq 'userCertificate').Count | Should -Be 2
        }

        It 'reports a certificate that does not chain to the collection, and copies the others' {
            $carol = New-TestUserCertificate -Name 'carol' -Issuer $stranger -Email 'carol@contoso.com' -KeyType EC -KeyUsage DigitalSignature
            Invoke-TestLdif -Server $server -Ldif "dn: uid=carol,$sourceBase`nobjectClass: inetOrgPerson`nuid: carol`ncn: carol`nsn: carol`nmail: carol@contoso.com`nuserCertificate;binary:: $([Convert]::ToBase64String($carol.RawData))`n"

            $result = Sync-UserSmimeCertificate -Source $source -ErrorVariable problems -ErrorAction SilentlyContinue

            $result.Added | Should -Be 2
            $result.Failed | Should -Be 1
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeExactly "SyncCertificateNotValid,$commandName"
            $problems[0].TargetObject | Should -BeExactly 'carol@contoso.com'
            $problems[0].Exception.Message | Should -BeLike "*$($carol.Thumbprint)*"
        }

        It 'removes at the destination what was removed at the source' {
            Sync-UserSmimeCertificate -Source $source | Out-Null
            Invoke-TestLdif -Server $server -Modify -Ldif "dn: uid=bob,$sourceBase`nchangetype: modify`ndelete: userCertificate;binary`n"

            $result = Sync-UserSmimeCertificate -Source $source

            $result.Removed, $result.Unchanged | Should -Be @(1, 1)
        }

        It 'writes nothing with -WhatIf, and limits the sync to -Filter' {
            $preview = Sync-UserSmimeCertificate -Source $source -WhatIf
            $preview.Skipped | Should -Be 2
            Get-SmimeAuditLog | Where-Object Command -eq 'Sync-UserSmimeCertificate' | Should -BeNullOrEmpty

            $bobOnly = Sync-UserSmimeCertificate -Source $source -Filter 'BOB@*'
            $bobOnly.Items.Address | Should -Be 'bob@contoso.com'
        }
    }

    Context 'into a directory' {
        It 'fails a recipient the directory does not have, by name, and writes the others' {
            $sourceBase = New-TestLdapBase
            Add-DirectoryUser -Server $server -BaseDn $sourceBase -Uid 'alice', 'dave' -Issuer $root
            $destinationBase = New-TestLdapBase
            Add-DirectoryUser -Server $server -BaseDn $destinationBase -Uid 'alice'
            $source = Connect-Directory -Server $server -BaseDn $sourceBase -PassThru
            Connect-Directory -Server $server -BaseDn $destinationBase
            Initialize-Destination

            $result = Sync-UserSmimeCertificate -Source $source -ErrorVariable problems -ErrorAction SilentlyContinue

            $result.Added | Should -Be 1
            $result.NotWritten | Should -Be @('dave@contoso.com')
            $problems[0].FullyQualifiedErrorId | Should -BeExactly "RecipientNotFound,$commandName"
            $problems[0].TargetObject | Should -BeExactly 'dave@contoso.com'
            $problems[0].Exception.Message | Should -BeLike '*never creates users*'
            Get-TestPublishedCount -Server $server -BaseDn $destinationBase | Should -Be 1
        }

        It 'reports what it wrote and what it did not when the server stops part way, and a re-run completes' {
            # Enough users that the server can be stopped while the writes are still going on.
            $count = 2000
            $names = 1..$count | ForEach-Object { 'user{0:D3}' -f $_ }
            $sourceBase = New-TestLdapBase
            Add-DirectoryUser -Server $server -BaseDn $sourceBase -Uid $names -Issuer $root
            # The destination is a server of its own, which this test stops; the child binds to it with the shared
            # server's credentials, which it reads from the environment.
            $destination = Start-TestSlapd -Folder (Join-Path $TestDrive 'slapd') -Port (Get-TestLdapFreePort) -Password $server.Password
            try {
                Add-DirectoryUser -Server $destination -BaseDn "ou=people,$($destination.BaseDn)" -Uid $names
                Connect-Directory -Server $destination -BaseDn $destination.BaseDn
                Initialize-Destination
                $destinationUri = "$($destination.Uri)/$($destination.BaseDn)"
                $env:SMIMEADMIN_TEST_SYNC_SOURCE = $sourceBase
                $run = @'
$source = Connect-SmimeStore -LdapUri $env:SMIMEADMIN_TEST_LDAP_URI -BaseDN $env:SMIMEADMIN_TEST_SYNC_SOURCE -Credential (Get-TestLdapCredential) -PassThru
'@
                # The child connects to the destination (its prologue), keeps it, and syncs from the shared server.
                $child = Start-PwshScript -StorePath $destinationUri -Organization 'contoso.com' -Script (
                    "`$destinationStore = Get-SmimeStore; $run; Sync-UserSmimeCertificate -Source `$source -Destination `$destinationStore -ErrorAction SilentlyContinue | " +
                    "Select-Object Added, Failed, NotWritten | ConvertTo-Json -Compress")
                $outcome = Stop-TestSlapdDuringWrites -Server $destination -BaseDn $destination.BaseDn -Child $child
                # Failed recipients are non-terminating errors (so the exit code is 1); the result still comes out.
                $outcome.Output | Should -Not -BeNullOrEmpty -Because $outcome.Errors
                $first = $outcome.Output | ConvertFrom-Json

                Restart-TestSlapd $destination
                $written = Get-TestPublishedCount -Server $destination -BaseDn $destination.BaseDn
                $first.Added | Should -BeGreaterOrEqual 30
                @($first.NotWritten).Count | Should -BeGreaterThan 0
                # Every recipient is either counted as written or listed as not written, and the count is the server's.
                $first.Added + @($first.NotWritten).Count | Should -Be $count
                $written | Should -Be $first.Added

                $second = Sync-UserSmimeCertificate -Source (Connect-Directory -Server $server -BaseDn $sourceBase -PassThru) -Destination (Connect-Directory -Server $destination -BaseDn $destination.BaseDn -PassThru)
                $second.Added | Should -Be @($first.NotWritten).Count
                $second.Failed | Should -Be 0
                Get-TestPublishedCount -Server $destination -BaseDn $destination.BaseDn | Should -Be $count
            }
            finally {
                Remove-Item env:SMIMEADMIN_TEST_SYNC_SOURCE -ErrorAction Ignore
                Stop-TestSlapd $destination
            }
        }
    }
}
