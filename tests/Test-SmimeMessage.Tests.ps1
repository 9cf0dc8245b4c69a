BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CertificateFactory.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'MessageTestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $commandName = 'SmimeAdmin.Commands.TestSmimeMessageCommand'
    $pki = New-MessageTestPki -Folder (Join-Path $TestDrive 'pki')
}

Describe 'Test-SmimeMessage' {
    BeforeEach {
        $store = Connect-MessageTestStore -Pki $pki
        Set-SmimeConfig -OWADisableCRLCheck $true -OWASigningAlgorithms '800D'
        $messages = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $messages | Out-Null
        $plain = New-TestMessage -Path (Join-Path $messages 'plain.eml') -From 'alice@contoso.com' -To 'bob@contoso.com'
        $signed = Join-Path $messages 'signed.eml'
        Protect-SmimeMessage -Path $plain -Sign -SignerCertificate $pki.Alice -OutFile $signed | Out-Null
    }

    It 'returns one valid result per signer with the signing time and digest' {
        $result = Test-SmimeMessage -Path $signed
        $result | Should -HaveCount 1
        $result.IsValid | Should -BeTrue
        $result.Reasons | Should -HaveCount 0
        $result.Signer | Should -BeExactly $pki.Alice.Subject
        $result.SignerThumbprint | Should -BeExactly $pki.Alice.Thumbprint
        $result.DigestAlgorithm | Should -BeExactly '800D (SHA-384)'
        $result.SenderMatches | Should -BeTrue
        $result.SigningTime | Should -BeGreaterThan ([datetime]::UtcNow.AddMinutes(-5))
        $result.Source | Should -BeExactly $signed
    }

    It 'reports a message altered after signing' {
        $altered = Join-Path $messages 'altered.eml'
        [IO.File]::WriteAllText($altered, (Get-Content -Raw $signed).Replace('The figures are attached', 'The figures are NOT attached'))
        $result = Test-SmimeMessage -Path $altered
        $result.IsValid | Should -BeFalse
        $result.Reasons | Should -Contain 'SignatureMismatch'
    }

    It 'reports a signer whose certificate does not chain to the collection' {
        $strangerSigned = Join-Path $messages 'stranger.eml'
        Protect-SmimeMessage -Path $plain -Sign -SignerCertificate $pki.Alice -OutFile $strangerSigned | Out-Null
        Set-SmimeCertificateCollection -Certificate $pki.OtherRoot
        $result = Test-SmimeMessage -Path $strangerSigned
        $result.IsValid | Should -BeFalse
        $result.Reasons | Should -Contain 'ChainNotTrusted'
    }

    It 'reports a sender that is not the certificate address with the attributes OWASenderCertificateAttributesToDisplay lists' {
        $signedAsAlice = Join-Path $messages 'as-alice.eml'
        $content = Join-Path $messages 'content.txt'
        [IO.File]::WriteAllText($content, "Content-Type: text/plain`r`n`r`nHello.`r`n")
        $alicePem = Write-TestPem $pki.Alice $messages 'alice'
        & openssl cms -sign -in $content -signer $alicePem[0] -inkey $alicePem[1] -out $signedAsAlice -from 'bob@contoso.com' 2>&1 | Out-Null
        Set-SmimeConfig -OWASenderCertificateAttributesToDisplay '2.5.4.3,2.5.4.10'
        $result = Test-SmimeMessage -Path $signedAsAlice
        $result.IsValid | Should -BeTrue
        $result.SenderMatches | Should -BeFalse
        $result.Reasons | Should -Be @('SenderAddressMismatch')
        $result.SenderCertificateAttributes | Should -Be @('CN=Alice', 'O=SmimeAdmin Tests')
    }

    It 'reports an unsigned message, an encrypted one, and input that is not MIME, and goes on' {
        $encrypted = Join-Path $messages 'encrypted.eml'
        Protect-SmimeMessage -Path $plain -Encrypt -OutFile $encrypted | Out-Null
        $notMime = Join-Path $messages 'random.bin'
        [IO.File]::WriteAllBytes($notMime, [byte[]] (0..255))
        $result = Test-SmimeMessage -Path $plain, $encrypted, $notMime, $signed -ErrorVariable failure -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
        $result | Should -HaveCount 1
        $failure.FullyQualifiedErrorId | Should -Be @("MessageNotSigned,$commandName", "MessageNotSigned,$commandName", "NotMime,$commandName")
        $failure.TargetObject | Should -Be @($plain, $encrypted, $notMime)
        $warnings | Should -HaveCount 1
    }

    Context 'revocation with CRLs served over HTTP' {
        BeforeAll {
            $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $probe.Start()
            $port = $probe.LocalEndpoint.Port
            $probe.Stop()
            $base = "http://127.0.0.1:$port"
            $revoked = New-TestUserCertificate -Name 'Revoked Signer' -Issuer $pki.Intermediate -Email 'alice@contoso.com' -CrlDistributionPoint "$base/issuing.crl"
            $crls = @{ '/issuing.crl' = (New-TestCrl -Issuer $pki.Intermediate -Revoked $revoked) }
            $crlServer = Start-TestCrlServer -Prefix $base -Crls $crls
        }

        AfterAll {
            Stop-TestCrlServer $crlServer
        }

        It 'reports a revoked signer' {
            $revokedSigned = Join-Path $messages 'revoked.eml'
            Protect-SmimeMessage -Path $plain -Sign -SignerCertificate $revoked -OutFile $revokedSigned | Out-Null
            Set-SmimeConfig -OWADisableCRLCheck $false -OWACRLConnectionTimeout 20000 -OWACRLRetrievalTimeout 20000
            $result = Test-SmimeMessage -Path $revokedSigned
            $result.IsValid | Should -BeFalse
            $result.Reasons | Should -Contain 'Revoked'
        }
    }
}
