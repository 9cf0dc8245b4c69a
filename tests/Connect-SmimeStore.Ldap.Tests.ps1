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

    Context 'TLS' {
        BeforeAll {
            # A private CA and a server certificate for 127.0.0.1, made with openssl; the server listens with TLS.
            $pki = Join-Path $TestDrive 'tls'
            New-Item -ItemType Directory -Path $pki | Out-Null
            $subjectAltName = Join-Path $pki 'server.ext'
            Set-Content -Path $subjectAltName -Value "subjectAltName=IP:127.0.0.1`nextendedKeyUsage=serverAuth"
            foreach ($arguments in @(
                ,@('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', "$pki/ca.key", '-out', "$pki/ca.pem", '-days', '2', '-subj', '/CN=SmimeAdmin Test LDAP CA')
                ,@('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', "$pki/server.key", '-out', "$pki/server.csr", '-subj', '/CN=127.0.0.1')
                ,@('x509', '-req', '-in', "$pki/server.csr", '-CA', "$pki/ca.pem", '-CAkey', "$pki/ca.key", '-CAcreateserial', '-out', "$pki/server.pem", '-days', '2', '-extfile', $subjectAltName)
                ,@('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', "$pki/other.key", '-out', "$pki/other.pem", '-days', '2', '-subj', '/CN=Another CA')
            )) {
                $output = & openssl @arguments 2>&1
                if ($LASTEXITCODE -ne 0) { throw "openssl $($arguments[0]) failed: $output" }
            }
            $tlsPort = Get-TestLdapFreePort
            # The server takes simple binds over TLS only, so a bind that succeeds here did not cross in clear text.
            $tlsServer = Start-TestSlapd -Folder (Join-Path $TestDrive 'tls-slapd') -Port (Get-TestLdapFreePort) -Password $server.Password `
                -TlsCertificateFile "$pki/server.pem" -TlsKeyFile "$pki/server.key" -TlsPort $tlsPort -RequireTlsForBind -TlsCaFile "$pki/ca.pem"
            $tlsUri = "ldaps://127.0.0.1:$tlsPort"
        }

        AfterAll {
            if ($tlsServer) { Stop-TestSlapd $tlsServer }
        }

        It 'connects over ldaps:// when -TrustedCertificate names the server''s CA' {
            Connect-SmimeStore -LdapUri $tlsUri -BaseDN $tlsServer.BaseDn -Credential (Get-TestLdapCredential) -TrustedCertificate "$pki/ca.pem" -Organization 'contoso.com'
            Set-SmimeConfig -OWAAlwaysSign $true
            (Get-SmimeConfig).OWAAlwaysSign | Should -BeTrue
            (Get-SmimeStore).Location | Should -BeExactly "$tlsUri/$($tlsServer.BaseDn)"
        }

        It 'refuses a server certificate from a CA it was not given, and offers no way around it' {
            foreach ($trust in @($null, "$pki/other.pem")) {
                $parameters = @{ LdapUri = $tlsUri; BaseDN = $tlsServer.BaseDn; Credential = (Get-TestLdapCredential) }
                if ($trust) { $parameters.TrustedCertificate = $trust }
                $failure = { Connect-SmimeStore @parameters } | Should -Throw -PassThru
                $failure.FullyQualifiedErrorId | Should -BeExactly "StoreUnavailable,$commandName"
                $failure.Exception.Message | Should -BeLike '*TLS with it failed*-TrustedCertificate*'
            }
            (Get-Command Connect-SmimeStore).Parameters.Keys | Where-Object { $_ -match 'Skip|Ignore|Insecure|TrustAll' } | Should -BeNullOrEmpty
        }

        It 'refuses a certificate that does not name the host connected to' {
            # 127.0.0.2 reaches the same listener on Linux's loopback, but the certificate names 127.0.0.1 only.
            $failure = { Connect-SmimeStore -LdapUri "ldaps://127.0.0.2:$tlsPort" -BaseDN $tlsServer.BaseDn -Credential (Get-TestLdapCredential) -TrustedCertificate "$pki/ca.pem" } |
                Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeExactly "StoreUnavailable,$commandName"
        }

        It 'refuses ldaps://localhost, because the certificate names 127.0.0.1 only' {
            # libldap checks the name "localhost" as the machine's own host name, which the certificate names neither.
            $failure = { Connect-SmimeStore -LdapUri "ldaps://localhost:$tlsPort" -BaseDN $tlsServer.BaseDn -Credential (Get-TestLdapCredential) -TrustedCertificate "$pki/ca.pem" } |
                Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeExactly "StoreUnavailable,$commandName"
            $failure.Exception.Message | Should -BeLike "*localhost:$tlsPort*TLS with it failed*name the host in the URI*"
        }

        It 'binds over StartTLS when -TrustedCertificate names the server''s CA' {
            Connect-SmimeStore -LdapUri $tlsServer.Uri -StartTls -BaseDN $tlsServer.BaseDn -Credential (Get-TestLdapCredential) -TrustedCertificate "$pki/ca.pem" -Organization 'fabrikam.com'
            Set-SmimeConfig -OWAAlwaysSign $true
            (Get-SmimeConfig).OWAAlwaysSign | Should -BeTrue
            (Get-SmimeStore).Location | Should -BeExactly "$($tlsServer.Uri)/$($tlsServer.BaseDn)"
        }

        It 'reports a clear-text bind the server refuses with StoreAccessDenied, naming ldaps:// and -StartTls' {
            $failure = { Connect-SmimeStore -LdapUri $tlsServer.Uri -BaseDN $tlsServer.BaseDn -Credential (Get-TestLdapCredential) } | Should -Throw -PassThru
            $failure.Exception.Message | Should -BeLike '*refused the bind*Confidentiality*TLS only*ldaps://*-StartTls*'
            $failure.FullyQualifiedErrorId | Should -BeExactly "StoreAccessDenied,$commandName"
        }

        It 'refuses StartTLS to a server certificate from a CA it was not given' {
            foreach ($trust in @($null, "$pki/other.pem")) {
                $parameters = @{ LdapUri = $tlsServer.Uri; StartTls = $true; BaseDN = $tlsServer.BaseDn; Credential = (Get-TestLdapCredential) }
                if ($trust) { $parameters.TrustedCertificate = $trust }
                $failure = { Connect-SmimeStore @parameters } | Should -Throw -PassThru
                $failure.FullyQualifiedErrorId | Should -BeExactly "StoreUnavailable,$commandName"
                $failure.Exception.Message | Should -BeLike '*StartTLS*failed*Nothing was sent in clear text*-TrustedCertificate*'
            }
        }

        It 'refuses StartTLS when the certificate does not name the host connected to' {
            $uri = "ldap://127.0.0.2:$($tlsServer.Port)"
            $failure = { Connect-SmimeStore -LdapUri $uri -StartTls -BaseDN $tlsServer.BaseDn -Credential (Get-TestLdapCredential) -TrustedCertificate "$pki/ca.pem" } |
                Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeExactly "StoreUnavailable,$commandName"
            $failure.Exception.Message | Should -BeLike "*StartTLS with $uri failed*Nothing was sent in clear text*"
        }

        It 'refuses StartTLS to a server that does not offer it, without binding' {
            # The suite's plain server has no certificate, so it answers StartTLS with an error.
            $failure = { Connect-SmimeStore -LdapUri $server.Uri -StartTls -BaseDN $baseDn -Credential (Get-TestLdapCredential) } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeExactly "StoreUnavailable,$commandName"
            $failure.Exception.Message | Should -BeLike '*StartTLS*failed*Nothing was sent in clear text*'
        }
    }
}
