# SmimeAdmin keeps its dependencies in a load context of its own, so a library another module has already loaded
# neither blocks nor replaces SmimeAdmin's copy. Each case runs in a fresh process.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force

    # build.ps1 names the NuGet folder that tools/TestTools restored into; by hand, NuGet's own default applies.
    $packages = if ($env:SMIMEADMIN_TEST_PACKAGES) { $env:SMIMEADMIN_TEST_PACKAGES }
        elseif ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES }
        else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $older = Join-Path $packages 'bouncycastle.cryptography/2.4.0/lib/netstandard2.0/BouncyCastle.Cryptography.dll'

    function Invoke-Isolated {
        # Runs a script in a new PowerShell and returns its output lines.
        param([Parameter(Mandatory)] [string] $Script)
        $pwsh = Get-PwshCommand
        $launcher = $pwsh[0]
        $prefix = @($pwsh | Select-Object -Skip 1)
        $output = & $launcher @prefix -NoProfile -NonInteractive -Command $Script 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Lines = @($output | ForEach-Object { "$_" }) }
    }

    # A certificate-collection round trip: it needs BouncyCastle. Prints where each BouncyCastle came from.
    $roundTrip = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Get-TestModulePath)'
Import-Module '$(Join-Path $PSScriptRoot 'CertificateFactory.psm1')'
Connect-SmimeStore -Path (Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid()))
`$root = New-TestCertificate -Name 'Isolation Root' -CertificateAuthority
`$root | Set-SmimeCertificateCollection
if ((Get-SmimeCertificateCollection).Thumbprint -ne `$root.Thumbprint) { throw 'round trip failed' }
'ROUNDTRIP=ok'
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'BouncyCastle.Cryptography' } | ForEach-Object {
    # BouncyCastle keeps assembly version 2.0.0.0 across 2.x releases; the file version tells them apart.
    `$release = [Version] [Diagnostics.FileVersionInfo]::GetVersionInfo(`$_.Location).FileVersion
    'BC=' + `$release.ToString(2) + '|' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name
}
"@
}

Describe 'Dependency isolation' {
    It 'works when an older BouncyCastle is already loaded, and leaves that copy to its owner' {
        Test-Path $older | Should -BeTrue -Because 'tools/TestTools restores BouncyCastle 2.4.0 for this test'
        $result = Invoke-Isolated -Script "Add-Type -Path '$older'; $roundTrip"
        $result.ExitCode | Should -Be 0 -Because ($result.Lines -join "`n")
        $result.Lines | Should -Contain 'ROUNDTRIP=ok'
        $result.Lines | Where-Object { $_ -like 'BC=*' } | Sort-Object | Should -Be @('BC=2.4|Default', 'BC=2.7|SmimeAdmin')
    }

    It 'lets a later load of another BouncyCastle succeed after SmimeAdmin has loaded its own' {
        $result = Invoke-Isolated -Script "$roundTrip`nAdd-Type -Path '$older'; 'LATER=ok'"
        $result.ExitCode | Should -Be 0 -Because ($result.Lines -join "`n")
        $result.Lines | Should -Contain 'LATER=ok'
    }

    It 'loads only SmimeAdmin.dll into the default context' {
        $result = Invoke-Isolated -Script "$roundTrip`n[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.Location -like '*SmimeAdmin*' } | ForEach-Object { 'ASM=' + `$_.GetName().Name + '|' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name }"
        $result.ExitCode | Should -Be 0 -Because ($result.Lines -join "`n")
        $assemblies = $result.Lines | Where-Object { $_ -like 'ASM=*' } | Sort-Object
        $assemblies | Should -Contain 'ASM=SmimeAdmin|Default'
        $assemblies | Should -Contain 'ASM=SmimeAdmin.Core|SmimeAdmin'
        $assemblies | Should -Contain 'ASM=BouncyCastle.Cryptography|SmimeAdmin'
        $assemblies | Where-Object { $_ -like '*|Default' -and $_ -ne 'ASM=SmimeAdmin|Default' } | Should -BeNullOrEmpty
    }
}
