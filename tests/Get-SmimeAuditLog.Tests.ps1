BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
}

Describe 'Get-SmimeAuditLog' {
    BeforeEach {
        $store = Connect-TestStore -Organization 'contoso.onmicrosoft.com'
        if ((Get-TestStoreKind) -eq 'Folder') { $auditFile = Join-Path $store 'organizations/contoso.onmicrosoft.com/audit.jsonl' }
    }

    It 'records each changed property with its old and new value, who, where and which cmdlet' {
        $start = [datetime]::UtcNow.AddSeconds(-1)
        Set-SmimeConfig -OWAAlwaysSign $true -OWACRLRetrievalTimeout 2500 -OWAClearSign $true
        $entries = @(Get-SmimeAuditLog)
        $entries.Count | Should -Be 2
        $entries[0].PSObject.TypeNames[0] | Should -BeExactly 'SmimeAdmin.SmimeAuditEntry'
        $entries.Property | Should -Be @('OWAAlwaysSign', 'OWACRLRetrievalTimeout')
        $entries.OldValue | Should -Be @('False', '10000')
        $entries.NewValue | Should -Be @('True', '2500')
        foreach ($entry in $entries) {
            $entry.User | Should -BeLike "*$([Environment]::UserName)"
            $entry.Host | Should -BeExactly ([Environment]::MachineName)
            $entry.Command | Should -BeExactly 'Set-SmimeConfig'
            $entry.Organization | Should -BeExactly 'contoso.onmicrosoft.com'
            $entry.TimeUtc | Should -BeGreaterOrEqual $start
            $entry.TimeUtc.Kind | Should -Be 'Utc'
        }
    }

    It 'records nothing for -WhatIf or for a call that changes nothing' {
        Set-SmimeConfig -OWAAlwaysSign $true
        Set-SmimeConfig -OWAAlwaysSign $true -WarningAction SilentlyContinue
        Set-SmimeConfig -OWAAlwaysEncrypt $true -WhatIf
        @(Get-SmimeAuditLog).Count | Should -Be 1
    }

    It 'filters by property name with wildcards' {
        Set-SmimeConfig -OWAAlwaysSign $true -OWACRLConnectionTimeout 1 -OWACRLRetrievalTimeout 2
        (Get-SmimeAuditLog -Property 'OWACRL*').Property | Should -Be @('OWACRLConnectionTimeout', 'OWACRLRetrievalTimeout')
        (Get-SmimeAuditLog -Property 'owaalwayssign', 'nothing*').Property | Should -Be @('OWAAlwaysSign')
    }

    It 'filters by time with -Start and -End' {
        Set-SmimeConfig -OWAAlwaysSign $true
        $entry = Get-SmimeAuditLog
        Get-SmimeAuditLog -Start $entry.TimeUtc.AddSeconds(1) | Should -BeNullOrEmpty
        Get-SmimeAuditLog -End $entry.TimeUtc.AddSeconds(-1) | Should -BeNullOrEmpty
        (Get-SmimeAuditLog -Start $entry.Time.AddSeconds(-1) -End $entry.Time.AddSeconds(1)).Property | Should -Be 'OWAAlwaysSign'
    }

    It 'keeps each organization''s log apart' {
        Set-SmimeConfig -OWAAlwaysSign $true
        Set-SmimeConfig -Identity 'fabrikam.com' -OWAAlwaysEncrypt $true
        (Get-SmimeAuditLog).Property | Should -Be 'OWAAlwaysSign'
        (Get-SmimeAuditLog -Identity 'fabrikam.com').Property | Should -Be 'OWAAlwaysEncrypt'
        Get-SmimeAuditLog -Identity 'never.configured' | Should -BeNullOrEmpty
    }

    # audit.jsonl of the folder store; the directory store's equivalent is tested in xunit (LdapSmimeStoreTests).
    It 'passes over a line cut short by a killed writer, and the next change removes it' -Skip:($env:SMIMEADMIN_TEST_STORE -eq 'Ldap') {
        Set-SmimeConfig -OWAAlwaysSign $true
        [IO.File]::AppendAllText($auditFile, '{"format":"SmimeAdmin.AuditRecord","schemaVer')
        (Get-SmimeAuditLog).Property | Should -Be 'OWAAlwaysSign'

        Set-SmimeConfig -OWAAlwaysEncrypt $true
        (Get-SmimeAuditLog).Property | Should -Be @('OWAAlwaysSign', 'OWAAlwaysEncrypt')
        Get-Content $auditFile | ForEach-Object { $_ | ConvertFrom-Json } | Should -HaveCount 2
    }

    # audit.jsonl of the folder store; the directory store's equivalent is tested in xunit (LdapSmimeStoreTests).
    It 'restores the record of a change whose writer was killed before appending it' -Skip:($env:SMIMEADMIN_TEST_STORE -eq 'Ldap') {
        Set-SmimeConfig -OWAAlwaysSign $true
        Set-SmimeConfig -OWAAlwaysEncrypt $true
        # Simulate the kill: the configuration was saved, the audit line never written.
        $lines = Get-Content $auditFile
        Set-Content -Path $auditFile -Value $lines[0]

        (Get-SmimeAuditLog).Property | Should -Be @('OWAAlwaysSign', 'OWAAlwaysEncrypt')
        Set-SmimeConfig -OWAOnlyUseSmartCard $true
        (Get-SmimeAuditLog).Property | Should -Be @('OWAAlwaysSign', 'OWAAlwaysEncrypt', 'OWAOnlyUseSmartCard')
        (Get-Content $auditFile | ForEach-Object { ($_ | ConvertFrom-Json).revision }) | Should -Be @(1, 2, 3)
    }

    # audit.jsonl of the folder store; the directory store's equivalent is tested in xunit (LdapSmimeStoreTests).
    It 'reports a damaged line with the file and line number, and lists nothing' -Skip:($env:SMIMEADMIN_TEST_STORE -eq 'Ldap') {
        Set-SmimeConfig -OWAAlwaysSign $true
        Set-SmimeConfig -OWAAlwaysEncrypt $true
        $lines = Get-Content $auditFile
        Set-Content -Path $auditFile -Value @('not json', $lines[1])
        $record = { Get-SmimeAuditLog } | Should -Throw -ErrorId 'StoreFileCorrupt,SmimeAdmin.Commands.GetSmimeAuditLogCommand' -PassThru
        $record.TargetObject | Should -BeExactly "$auditFile`:1"
        $record.CategoryInfo.Category | Should -Be 'InvalidData'
    }
}
