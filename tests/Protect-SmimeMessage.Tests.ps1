BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'CertificateFactory.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'MessageTestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $commandName = 'SmimeAdmin.Commands.ProtectSmimeMessageCommand'

    $pki = New-MessageTestPki -Folder (Join-Path $TestDrive 'pki')
    $root, $intermediate, $alice, $bob, $carol, $stranger = $pki.Root, $pki.Intermediate, $pki.Alice, $pki.Bob, $pki.Carol, $pki.Stranger
    $alicePfx, $password, $caFile = $pki.AlicePfx, $pki.Password, $pki.CaFile
    $bobPem = Write-TestPem $bob $TestDrive 'bob'
    $carolPem = Write-TestPem $carol $TestDrive 'carol'
}

Describe 'Protect-SmimeMessage' {
    BeforeEach {
        $store = Connect-MessageTestStore -Pki $pki
        Set-SmimeConfig -OWADisableCRLCheck $true -OWASigningAlgorithms '800C'
        $messages = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $messages | Out-Null
        $plain = New-TestMessage -Path (Join-Path $messages 'plain.eml') -From 'alice@contoso.com' -To 'bob@contoso.com', 'carol@contoso.com'
    }

    Context 'signing and encrypting as the organization says' {
        It 'signs and encrypts for RSA and EC recipients, and openssl decrypts and verifies it' {
            $out = Join-Path $messages 'protected.eml'
            $result = Protect-SmimeMessage -Path $plain -Sign -Encrypt -SignerPfx $alicePfx -Password $password -OutFile $out
            $result.Path | Should -BeExactly $out
            $result.IsSigned | Should -BeTrue
            $result.EncryptionAlgorithm | Should -BeExactly '6610 (AES-256-CBC)'
            $result.DigestAlgorithm | Should -BeExactly '800C (SHA-256)'
            $result.EncryptedFor | Should -Be @('bob@contoso.com', 'carol@contoso.com')
            foreach ($recipient in $bobPem, $carolPem) {
                $inner = Join-Path $messages 'inner.eml'
                & openssl cms -decrypt -in $out -recip $recipient[0] -inkey $recipient[1] -out $inner 2>&1 | Out-Null
                $LASTEXITCODE | Should -Be 0
                $verified = & openssl cms -verify -in $inner -CAfile $caFile 2>&1
                $LASTEXITCODE | Should -Be 0
                ($verified -join "`n") | Should -BeLike '*The figures are attached as agreed.*'
            }
        }

        It 'signs opaquely when OWAClearSign is off, taking the signer from -SignerCertificate' {
            Set-SmimeConfig -OWAClearSign $false
            $result = Protect-SmimeMessage -Path $plain -Sign -SignerCertificate $alice
            $result.ClearSigned | Should -BeFalse
            $result.IsEncrypted | Should -BeFalse
            $result.Text | Should -BeLike '*application/pkcs7-mime; smime-type=signed-data*'
        }

        It 'signs and encrypts without the switches when OWAAlwaysSign and OWAAlwaysEncrypt are set' {
            Set-SmimeConfig -OWAAlwaysSign $true -OWAAlwaysEncrypt $true -OWAEncryptionAlgorithms '660E;6610'
            $result = Protect-SmimeMessage -Path $plain -SignerCertificate $alice
            $result.IsSigned | Should -BeTrue
            $result.IsEncrypted | Should -BeTrue
            $result.EncryptionAlgorithm | Should -BeExactly '660E (AES-128-CBC)'
        }

        It 'triple-wraps when OWATripleWrapSignedEncryptedMail is set, and Unprotect-SmimeMessage unwraps all three layers' {
            Set-SmimeConfig -OWATripleWrapSignedEncryptedMail $true
            $result = Protect-SmimeMessage -Path $plain -Sign -Encrypt -SignerCertificate $alice
            $result.TripleWrapped | Should -BeTrue
            $opened = $result | Unprotect-SmimeMessage -Pfx $pki.BobPfx -Password $password
            $opened.Layers | Should -Be @('SignedClear', 'Encrypted', 'SignedClear')
            $opened.IsVerified | Should -BeTrue
            $opened.Signatures | Should -HaveCount 2
        }

        It 'reads messages piped from Get-ChildItem and as MIME text' {
            $second = New-TestMessage -Path (Join-Path $messages 'second.eml') -From 'alice@contoso.com' -To 'bob@contoso.com'
            $fromFiles = Get-ChildItem $plain, $second | Protect-SmimeMessage -Encrypt
            $fromFiles.Source | Should -Be @($plain, $second)
            $fromText = Get-Content -Raw $second | Protect-SmimeMessage -Encrypt
            $fromText.Source | Should -BeExactly 'message1'
            $fromText.EncryptedFor | Should -Be @('bob@contoso.com')
        }
    }

    Context 'Bcc recipients' {
        BeforeEach {
            $withBcc = New-TestMessage -Path (Join-Path $messages 'bcc.eml') -From 'alice@contoso.com' -To 'bob@contoso.com' -Bcc 'carol@contoso.com', 'dave@contoso.com'
        }

        It 'writes one copy per Bcc recipient with OWABCCEncryptedEmailForking 0, the default' {
            $result = Protect-SmimeMessage -Path $withBcc -Encrypt -OutFile $messages
            $result.Copy | Should -Be @('Main', 'BccRecipient', 'BccRecipient')
            $result.Path | Should -Be @((Join-Path $messages 'bcc.eml'), (Join-Path $messages 'bcc.bcc1.eml'), (Join-Path $messages 'bcc.bcc2.eml'))
            $result[0].EncryptedFor | Should -Be @('bob@contoso.com')
            $result[1].EncryptedFor | Should -Be @('carol@contoso.com')
            $result[0].Text | Should -Not -BeLike '*Bcc:*'
            $result[2].Text | Should -BeLike '*Bcc: dave@contoso.com*'
        }

        It 'writes one copy for all Bcc recipients with 1, and one message for everybody with 2' {
            Set-SmimeConfig -OWABCCEncryptedEmailForking 1
            $result = Protect-SmimeMessage -Path $withBcc -Encrypt
            $result.Copy | Should -Be @('Main', 'AllBccRecipients')
            $result[1].EncryptedFor | Should -Be @('carol@contoso.com', 'dave@contoso.com')
            Set-SmimeConfig -OWABCCEncryptedEmailForking 2
            $result = Protect-SmimeMessage -Path $withBcc -Encrypt
            $result.Copy | Should -BeExactly 'Main'
            $result.EncryptedFor | Should -Be @('bob@contoso.com', 'carol@contoso.com', 'dave@contoso.com')
        }
    }

    Context 'recipients certificates' {
        It 'finds a recipient by a proxy address only when OWAUseSecondaryProxiesWhenFindingCertificates is on' {
            $proxied = New-TestMessage -Path (Join-Path $messages 'proxy.eml') -From 'alice@contoso.com' -To 'd.jones@contoso.com'
            (Protect-SmimeMessage -Path $proxied -Encrypt).EncryptedFor | Should -Be @('d.jones@contoso.com')
            Set-SmimeConfig -OWAUseSecondaryProxiesWhenFindingCertificates $false
            Protect-SmimeMessage -Path $proxied -Encrypt -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $failure[0].FullyQualifiedErrorId | Should -BeExactly "RecipientCertificateUnavailable,$commandName"
            $failure[0].Exception.Message | Should -BeLike '*d.jones@contoso.com: this is a proxy address of dave@contoso.com*'
        }

        It 'names every recipient without a valid certificate and writes nothing' {
            $message = New-TestMessage -Path (Join-Path $messages 'bad.eml') -From 'alice@contoso.com' -To 'bob@contoso.com', 'nobody@contoso.com', 'stranger@contoso.com'
            $out = Join-Path $messages 'bad-out.eml'
            Protect-SmimeMessage -Path $message -Encrypt -OutFile $out -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $failure | Should -HaveCount 1
            $failure[0].FullyQualifiedErrorId | Should -BeExactly "RecipientCertificateUnavailable,$commandName"
            $failure[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failure[0].TargetObject | Should -BeExactly 'nobody@contoso.com, stranger@contoso.com'
            $failure[0].Exception.Message | Should -BeLike '*nobody@contoso.com: no recipient*'
            $failure[0].Exception.Message | Should -BeLike '*stranger@contoso.com:*ChainNotTrusted*'
            Test-Path $out | Should -BeFalse
        }
    }

    Context 'errors' {
        It 'refuses to do nothing' {
            { Protect-SmimeMessage -Path $plain } | Should -Throw -ErrorId "NothingToDo,$commandName"
        }

        It 'asks for a signer when signing' {
            { Protect-SmimeMessage -Path $plain -Sign } | Should -Throw -ErrorId "SignerRequired,$commandName"
            Set-SmimeConfig -OWAAlwaysSign $true
            { Protect-SmimeMessage -Path $plain -Encrypt } | Should -Throw -ErrorId "SignerRequired,$commandName"
        }

        It 'refuses two signers' {
            { Protect-SmimeMessage -Path $plain -Sign -SignerCertificate $alice -SignerPfx $alicePfx } | Should -Throw -ErrorId "SignerConflict,$commandName"
        }

        It 'reports a wrong .pfx password with the file as target' {
            $wrong = ConvertTo-SecureString 'wrong' -AsPlainText -Force
            $failure = { Protect-SmimeMessage -Path $plain -Sign -SignerPfx $alicePfx -Password $wrong } | Should -Throw -ErrorId "CertificatePasswordInvalid,$commandName" -PassThru
            $failure.TargetObject | Should -BeExactly $alicePfx
        }

        It 'refuses a signer the collection does not trust' {
            Protect-SmimeMessage -Path $plain -Sign -SignerCertificate $stranger -ErrorVariable failure -ErrorAction SilentlyContinue | Out-Null
            $failure[0].FullyQualifiedErrorId | Should -BeExactly "SignerCertificateInvalid,$commandName"
            $failure[0].CategoryInfo.Category | Should -Be 'SecurityError'
            $failure[0].Exception.Message | Should -BeLike '*ChainNotTrusted*'
        }

        It 'reports input that is not MIME and goes on with the next file' {
            $notMime = Join-Path $messages 'random.bin'
            [IO.File]::WriteAllBytes($notMime, [byte[]] (0..255))
            $result = Protect-SmimeMessage -Path $notMime, $plain -Encrypt -ErrorVariable failure -ErrorAction SilentlyContinue
            $result | Should -HaveCount 1
            $failure[0].FullyQualifiedErrorId | Should -BeExactly "NotMime,$commandName"
            $failure[0].TargetObject | Should -BeExactly $notMime
        }

        It 'reports a message without recipients' {
            $lonely = New-TestMessage -Path (Join-Path $messages 'lonely.eml') -From 'alice@contoso.com'
            Protect-SmimeMessage -Path $lonely -Encrypt -ErrorVariable failure -ErrorAction SilentlyContinue | Out-Null
            $failure[0].FullyQualifiedErrorId | Should -BeExactly "NoRecipients,$commandName"
        }

        It 'rejects input of another type' {
            Protect-SmimeMessage -Message 42 -Encrypt -ErrorVariable failure -ErrorAction SilentlyContinue | Out-Null
            $failure[0].FullyQualifiedErrorId | Should -BeExactly "InvalidMessageInput,$commandName"
        }

        It 'keeps an existing file with -NoClobber, and refuses to write two messages to one file' {
            $out = Join-Path $messages 'exists.eml'
            Set-Content -Path $out -Value 'keep me'
            Protect-SmimeMessage -Path $plain -Encrypt -OutFile $out -NoClobber -ErrorVariable failure -ErrorAction SilentlyContinue | Out-Null
            $failure[0].FullyQualifiedErrorId | Should -BeExactly "FileExists,$commandName"
            Get-Content $out | Should -BeExactly 'keep me'
            $second = New-TestMessage -Path (Join-Path $messages 'second.eml') -From 'alice@contoso.com' -To 'bob@contoso.com'
            $result = Protect-SmimeMessage -Path $plain, $second -Encrypt -OutFile $out -ErrorVariable failure -ErrorAction SilentlyContinue
            $result | Should -HaveCount 1
            $failure[0].FullyQualifiedErrorId | Should -BeExactly "OutputFileConflict,$commandName"
        }

        It 'writes nothing with -WhatIf' {
            $out = Join-Path $messages 'whatif.eml'
            Protect-SmimeMessage -Path $plain -Encrypt -OutFile $out -WhatIf | Should -BeNullOrEmpty
            Test-Path $out | Should -BeFalse
        }

        It 'changes nothing in the store' {
            $before = Get-StoreSnapshot $store
            Protect-SmimeMessage -Path $plain -Sign -Encrypt -SignerCertificate $alice | Out-Null
            Get-StoreSnapshot $store | Should -Be $before
        }
    }
}
