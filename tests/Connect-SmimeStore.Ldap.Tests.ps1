BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSlapd.psm1') -Force
    $commandName = 'SmimeAdmin.Commands.ConnectSmimeStoreCommand'
    $server = Get-TestLdapServer
}

Describe 'Connect-SmimeStore -LdapUri' {
    BeforeEach {
        $baseDn = New-TestLdapBase
    }

    It 'connects the session to the directory and keeps organizations under ou=SmimeAdmin' {
        $info = Connect-SmimeStore -LdapUri $server.Uri -BaseDN $baseDn -Credential (Get-TestLdapCredential) -Organization 'contoso.com' -PassThru
        $info.Provider | Should -BeExactly 'Ldap'
        $info.Location | Should -BeExactly "$($server.Uri)/$baseDn"
        Set-SmimeConfig -OWAAlwaysSign $true
        (Get-SmimeStore).Organizations | Should -Be @('contoso.com')
        $entry = & ldapsearch -x -LLL -H $server.Uri -D $server.AdminDn -w $server.Password -b "cn=contoso.com,ou=SmimeAdmin,$baseDn" -s base cn
        $entry | Should -Contain 'cn: contoso.com'
    }

    It 'keeps the password out of verbose output, errors and the audit log' {
        $credential = Get-TestLdapCredential
        $verbose = Connect-SmimeStore -LdapUri $server.Uri -BaseDN $baseDn -Credential $credential -Organization 'contoso.com' -Verbose 4>&1
        Set-SmimeConfig -OWAAlwaysSign $true
        "$verbose" | Should -BeLike "*$($server.AdminDn)*"
        "$verbose" | Should -Not -BeLike "*$($server.Password)*"
        (Get-SmimeAuditLog | Out-String) | Should -Not -BeLike "*$($server.Password)*"
        Get-StoreSnapshot "$($server.Uri)/$baseDn" | Where-Object { $_ -like "*$($server.Password)*" } | Should -BeNullOrEmpty
    }

    It 'refuses a wrong password with StoreAccessDenied and keeps the previous store' {
        Connect-SmimeStore -Path (Join-Path $TestDrive 'previous')
        $wrong = [pscredential]::new($server.AdminDn, (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))
        $failure = { Connect-SmimeStore -LdapUri $server.Uri -BaseDN $baseDn -Credential $wrong } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeExactly "StoreAccessDenied,$commandName"
        $failure.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $failure.Exception.Message | Should -Not -BeLike '*not-the-password*'
        (Get-SmimeStore).Provider | Should -BeExactly 'Folder'
    }

    It 'reports a server that is down with StoreUnavailable' {
        $port = Get-TestLdapFreePort
        $failure = { Connect-SmimeStore -LdapUri "ldap://127.0.0.1:$port" -BaseDN $baseDn -Credential (Get-TestLdapCredential) } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeExactly "StoreUnavailable,$commandName"
        $failure.Exception.Message | Should -BeLike "*127.0.0.1:$port*cannot be reached*"
    }

    It 'reports a base DN that does not exist by name' {
        $missing = "ou=missing,$baseDn"
        $failure = { Connect-SmimeStore -LdapUri $server.Uri -BaseDN $missing -Credential (Get-TestLdapCredential) } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeExactly "StoreUnavailable,$commandName"
        $failure.TargetObject | Should -BeExactly $missing
        $failure.Exception.Message | Should -BeLike "*'$missing' does not exist*"
    }

    It 'refuses <Uri> with InvalidLdapUri' -ForEach @(
        @{ Uri = 'http://127.0.0.1:389'; StartTls = $false }
        @{ Uri = 'ldap://127.0.0.1:389/dc=example'; StartTls = $false }
        @{ Uri = 'ldaps://127.0.0.1:636'; StartTls = $true }
    ) {
        $failure = { Connect-SmimeStore -LdapUri $Uri -BaseDN 'dc=example' -StartTls:$StartTls } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeExactly "InvalidLdapUri,$commandName"
    }

    It 'reports a -TrustedCertificate file that does not exist' {
        $failure = { Connect-SmimeStore -LdapUri $server.Uri -BaseDN $baseDn -TrustedCertificate (Join-Path $TestDrive 'none.pem') } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeExactly "PathNotFound,$commandName"
    }

    It 'loads the directory store into SmimeAdmin''s load context, from dependencies/' {
        Connect-SmimeStore -LdapUri $server.Uri -BaseDN $baseDn -Credential (Get-TestLdapCredential)
        $directory = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SmimeAdmin.Directory' }
        $directory | Should -HaveCount 1
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($directory).Name | Should -BeExactly 'SmimeAdmin'
    }
}
