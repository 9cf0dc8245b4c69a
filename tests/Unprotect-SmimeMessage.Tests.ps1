BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CertificateFactory.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'MessageTestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $commandName = 'SmimeAdmin.Commands.UnprotectSmimeMessageCommand'
    $pki = New-MessageTestPki -Folder (Join-Path $TestDrive 'pki')
    $alicePem = Write-TestPem $pki.Alice $TestDrive 'alice'
    $carolPem = Write-TestPem $pki.Carol $TestDrive 'carol'
}

Describe 'Unprotect-SmimeMessage' {
    BeforeEach {
        $store = Connect-MessageTestStore -Pki $pki
        Set-SmimeConfig -OWADisableCRLCheck $true
        $messages = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $messages | Out-Null
        $plain = New-TestMessage -Path (Join-Path $messages 'plain.eml') -From 'alice@contoso.com' -To 'bob@contoso.com', 'carol@contoso.com'
        $protected = Join-Path $messages 'protected.eml'
        Protect-SmimeMessage -Path $plain -Sign -Encrypt -SignerCertificate $pki.Alice -OutFile $protected | Out-Null
    }

    It 'decrypts with an RSA or an EC recipient key, verifies the signature and writes the inner message' {
        foreach ($pfx in $pki.BobPfx, $pki.CarolPfx) {
            $out = Join-Path $messages 'inner.eml'
            $result = Unprotect-SmimeMessage -Path $protected -Pfx $pfx -Password $pki.Password -OutFile $out
            $result.Layers | Should -Be @('Encrypted', 'SignedClear')
            $result.IsVerified | Should -BeTrue
            $result.EncryptionAlgorithm | Should -BeExactly '6610 (AES-256-CBC)'
            $result.Signatures[0].Signer | Should -BeExactly $pki.Alice.Subject
            $result.Path | Should -BeExactly $out
            Get-Content -Raw $out | Should -BeLike '*Subject: Quarterly figures*The figures are attached as agreed.*'
        }
    }

    It 'opens what openssl signed and encrypted for an EC recipient' {
        $content = Join-Path $messages 'content.txt'
        $signed = Join-Path $messages 'openssl-signed.eml'
        $encrypted = Join-Path $messages 'openssl-encrypted.eml'
        [IO.File]::WriteAllText($content, "Content-Type: text/plain`r`n`r`nFrom openssl.`r`n")
        & openssl cms -sign -in $content -signer $alicePem[0] -inkey $alicePem[1] -out $signed 2>&1 | Out-Null
        & openssl cms -encrypt -in $signed -aes128 -out $encrypted -from 'alice@contoso.com' -to 'carol@contoso.com' -subject Figures $carolPem[0] 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0
        $result = Unprotect-SmimeMessage -Path $encrypted -Pfx $pki.CarolPfx -Password $pki.Password
        $result.Layers | Should -Be @('Encrypted', 'SignedClear')
        $result.EncryptionAlgorithm | Should -BeExactly '660E (AES-128-CBC)'
        $result.IsVerified | Should -BeTrue
        $result.Text | Should -BeLike '*From openssl.*'
    }

    It 'warns about a signature that is not valid, and still returns the message' {
        $strangerSigned = Join-Path $messages 'stranger.eml'
        $strangerPem = Write-TestPem $pki.Stranger $messages 'stranger'
        $content = Join-Path $messages 'content.txt'
        [IO.File]::WriteAllText($content, "Content-Type: text/plain`r`n`r`nHello.`r`n")
        & openssl cms -sign -in $content -signer $strangerPem[0] -inkey $strangerPem[1] -out $strangerSigned -from 'alice@contoso.com' 2>&1 | Out-Null
        $result = Unprotect-SmimeMessage -Path $strangerSigned -WarningVariable warnings -WarningAction SilentlyContinue
        $result.IsVerified | Should -BeFalse
        $result.Signatures[0].Reasons | Should -Contain 'ChainNotTrusted'
        $warnings | Should -HaveCount 1
    }

    Context 'errors' {
        It 'reports a key that belongs to no recipient' {
            Unprotect-SmimeMessage -Path $protected -Pfx $pki.AlicePfx -Password $pki.Password -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $failure[0].FullyQualifiedErrorId | Should -BeExactly "NoDecryptionKey,$commandName"
            $failure[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failure[0].Exception.Message | Should -BeLike '*2 recipient(s)*'
        }

        It 'asks for a key when the message is encrypted' {
            Unprotect-SmimeMessage -Path $protected -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $failure[0].FullyQualifiedErrorId | Should -BeExactly "NoDecryptionKey,$commandName"
            $failure[0].TargetObject | Should -BeExactly $protected
        }

        It 'reports truncated CMS as malformed' {
            $text = Get-Content -Raw $protected
            $cut = $text.Substring(0, $text.IndexOf("`r`n`r`n") + 4) + 'MIIB' + "`r`n"
            $truncated = Join-Path $messages 'truncated.eml'
            [IO.File]::WriteAllText($truncated, $cut)
            Unprotect-SmimeMessage -Path $truncated -Pfx $pki.BobPfx -Password $pki.Password -ErrorVariable failure -ErrorAction SilentlyContinue | Out-Null
            $failure[0].FullyQualifiedErrorId | Should -BeExactly "MalformedCms,$commandName"
            $failure[0].CategoryInfo.Category | Should -Be 'InvalidData'
        }

        It 'reports a wrong password and a missing key file, naming the file' {
            $wrong = ConvertTo-SecureString 'wrong' -AsPlainText -Force
            $failure = { Unprotect-SmimeMessage -Path $protected -Pfx $pki.BobPfx -Password $wrong } | Should -Throw -ErrorId "CertificatePasswordInvalid,$commandName" -PassThru
            $failure.TargetObject | Should -BeExactly $pki.BobPfx
            $missing = Join-Path $messages 'missing.pfx'
            { Unprotect-SmimeMessage -Path $protected -Pfx $missing } | Should -Throw -ErrorId "PathNotFound,$commandName"
        }
    }
}
