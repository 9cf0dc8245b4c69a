BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    Import-Module (Join-Path $PSScriptRoot 'CertificateFactory.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSlapd.psm1') -Force
    $server = Get-TestLdapServer
    $root = New-TestCertificate -Name 'Bulk Root' -CertificateAuthority -KeyType EC
}

Describe 'Publish-UserSmimeCertificate into a directory, in bulk' {
    It 'reports each row it could not write when the server stops part way, and a re-run writes just those' {
        # Enough rows that the server can be stopped while the writes are still going on.
        $count = 2000
        $names = 1..$count | ForEach-Object { 'user{0:D4}' -f $_ }
        $files = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'certificates')
        $csv = Join-Path $TestDrive 'users.csv'
        $rows = foreach ($name in $names) {
            $certificate = New-TestUserCertificate -Name $name -Issuer $root -Email "$name@contoso.com" -KeyType EC -KeyUsage DigitalSignature
            $file = Join-Path $files "$name.cer"
            [IO.File]::WriteAllBytes($file, $certificate.RawData)
            "$name@contoso.com,$file"
        }
        Set-Content -LiteralPath $csv -Value (@('Identity,Path') + $rows)

        # A server of its own, which this test stops; the child binds to it with the shared server's credentials.
        $directory = Start-TestSlapd -Folder (Join-Path $TestDrive 'slapd') -Port (Get-TestLdapFreePort) -Password $server.Password
        try {
            $ldif = foreach ($name in $names) { "dn: uid=$name,$($directory.BaseDn)`nobjectClass: inetOrgPerson`nuid: $name`ncn: $name`nsn: $name`nmail: $name@contoso.com`n" }
            Invoke-TestLdif -Server $directory -Ldif ($ldif -join "`n")
            Connect-SmimeStore -LdapUri $directory.Uri -BaseDN $directory.BaseDn -Credential (Get-TestLdapCredential) -Organization 'contoso.com'
            $root | Set-SmimeCertificateCollection
            Set-SmimeConfig -OWADisableCRLCheck $true

            $child = Start-PwshScript -StorePath "$($directory.Uri)/$($directory.BaseDn)" -Organization 'contoso.com' -Script (
                "Import-Csv -LiteralPath '$csv' | Publish-UserSmimeCertificate -Attribute UserCertificate -ErrorAction SilentlyContinue -ErrorVariable failed; " +
                "ConvertTo-Json -Compress -InputObject @(`$failed | ForEach-Object { [pscustomobject]@{ Id = `$_.FullyQualifiedErrorId; Target = `$_.TargetObject } })")
            $outcome = Stop-TestSlapdDuringWrites -Server $directory -BaseDn $directory.BaseDn -Child $child
            $failures = @($outcome.Output | ConvertFrom-Json)

            Restart-TestSlapd $directory
            $written = Get-TestPublishedCount -Server $directory -BaseDn $directory.BaseDn
            $written | Should -BeGreaterOrEqual 30
            $failures.Count | Should -BeGreaterThan 0 -Because $outcome.Errors
            # Every row is either written or reported, once, by its identity, as the store being unreachable.
            $written + $failures.Count | Should -Be $count
            @($failures.Target | Sort-Object -Unique).Count | Should -Be $failures.Count
            @($failures | Where-Object Id -NotLike 'StoreUnavailable,*') | Should -BeNullOrEmpty

            Connect-SmimeStore -LdapUri $directory.Uri -BaseDN $directory.BaseDn -Credential (Get-TestLdapCredential) -Organization 'contoso.com'
            $verbose = Import-Csv -LiteralPath $csv | Publish-UserSmimeCertificate -Attribute UserCertificate -Verbose 4>&1
            Get-TestPublishedCount -Server $directory -BaseDn $directory.BaseDn | Should -Be $count
            # The rows written the first time are left as they are; only the reported ones are written now.
            $unchanged = @($verbose | Where-Object { "$_" -like '*already has these certificates published*' })
            $unchanged.Count | Should -Be $written
            @($failures.Target | Where-Object { "'$_' already has these certificates published; nothing was changed." -in @($unchanged | ForEach-Object { "$_" }) }) |
                Should -BeNullOrEmpty
        }
        finally {
            Stop-TestSlapd $directory
        }
    }
}
