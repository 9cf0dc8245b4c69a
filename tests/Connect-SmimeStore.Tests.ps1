BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force

    function Invoke-InFreshSession {
        # Runs a script in a child PowerShell with the given environment, without any Connect-SmimeStore.
        param([string] $Script, [hashtable] $Environment)
        $saved = @{}
        foreach ($name in $Environment.Keys) {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $Environment[$name])
        }
        try {
            $pwsh = Get-PwshCommand
            $launcher = $pwsh[0]
            $prefix = @($pwsh | Select-Object -Skip 1)
            & $launcher @prefix -NoProfile -NonInteractive -Command "Import-Module '$(Get-TestModulePath)'; $Script"
        } finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }
}

Describe 'Connect-SmimeStore and Get-SmimeStore' {
    BeforeEach {
        $store = Join-Path $TestDrive ([guid]::NewGuid())
    }

    Context 'choosing the store' {
        It 'uses the folder given to -Path and the organization given to -Organization' {
            Connect-SmimeStore -Path $store -Organization 'contoso.com'
            $info = Get-SmimeStore
            $info.PSObject.TypeNames[0] | Should -BeExactly 'SmimeAdmin.SmimeStoreInfo'
            $info.Provider | Should -BeExactly 'Folder'
            $info.Location | Should -BeExactly $store
            $info.Organization | Should -BeExactly 'contoso.com'
            $info.Source | Should -BeExactly 'Connect-SmimeStore'
            Set-SmimeConfig -OWAAlwaysSign $true
            Test-Path (Join-Path $store 'organizations/contoso.com/config.json') | Should -BeTrue
        }

        It 'uses the organization Default when -Organization is omitted' {
            Connect-SmimeStore -Path $store
            (Get-SmimeStore).Organization | Should -BeExactly 'Default'
            (Get-SmimeConfig).Identity | Should -BeExactly 'Default'
        }

        It 'resolves a relative -Path against the current location' {
            New-Item -ItemType Directory -Path $store | Out-Null
            Push-Location $store
            try {
                Connect-SmimeStore -Path 'relative-store'
            } finally {
                Pop-Location
            }
            (Get-SmimeStore).Location | Should -BeExactly (Join-Path $store 'relative-store')
        }

        It 'returns the store description only with -PassThru' {
            Connect-SmimeStore -Path $store | Should -BeNullOrEmpty
            (Connect-SmimeStore -Path $store -PassThru).Location | Should -BeExactly $store
        }

        It 'uses $env:SMIMEADMIN_STORE when the session has not connected' {
            $output = Invoke-InFreshSession -Environment @{ SMIMEADMIN_STORE = $store } -Script '$s = Get-SmimeStore; "$($s.Source)|$($s.Location)"'
            $output | Should -Be "`$env:SMIMEADMIN_STORE|$store"
        }

        It 'uses the XDG data folder when nothing else names a store' -Skip:$IsWindows {
            $data = Join-Path $TestDrive 'xdg'
            $output = Invoke-InFreshSession -Environment @{ SMIMEADMIN_STORE = $null; XDG_DATA_HOME = $data } -Script '$s = Get-SmimeStore; "$($s.Source)|$($s.Location)"'
            $output | Should -Be "Default|$(Join-Path $data 'SmimeAdmin')"
        }

        It 'falls back to ~/.local/share when XDG_DATA_HOME is unset' -Skip:$IsWindows {
            $fakeHome = Join-Path $TestDrive 'home'
            $output = Invoke-InFreshSession -Environment @{ SMIMEADMIN_STORE = $null; XDG_DATA_HOME = $null; HOME = $fakeHome } -Script '(Get-SmimeStore).Location'
            $output | Should -Be (Join-Path $fakeHome '.local/share/SmimeAdmin')
        }

        It 'lists the organizations the store holds' {
            Connect-SmimeStore -Path $store
            Set-SmimeConfig -Identity 'b.example' -OWAAlwaysSign $true
            Set-SmimeConfig -Identity 'A.example' -OWAAlwaysSign $true
            (Get-SmimeStore).Organizations | Should -Be @('A.example', 'b.example')
        }
    }

    Context 'errors' {
        It 'refuses a -Path that is a file' {
            Set-Content -Path $store -Value 'not a folder'
            $record = { Connect-SmimeStore -Path $store } |
                Should -Throw -ErrorId 'StorePathNotFolder,SmimeAdmin.Commands.ConnectSmimeStoreCommand' -PassThru
            $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $record.TargetObject | Should -BeExactly $store
        }

        It 'refuses an invalid -Organization' {
            { Connect-SmimeStore -Path $store -Organization 'two words' } |
                Should -Throw -ErrorId 'InvalidOrganizationName,SmimeAdmin.Commands.ConnectSmimeStoreCommand'
        }

        It 'refuses a negative -LockTimeout' {
            $record = { Connect-SmimeStore -Path $store -LockTimeout ([timespan]::FromSeconds(-1)) } |
                Should -Throw -ErrorId 'InvalidLockTimeout,SmimeAdmin.Commands.ConnectSmimeStoreCommand' -PassThru
            $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'refuses a store written by a newer schema version, naming the file' {
            New-Item -ItemType Directory -Path $store | Out-Null
            $marker = Join-Path $store 'store.json'
            Set-Content -Path $marker -Value '{ "format": "SmimeAdmin.Store", "schemaVersion": 99 }'
            $record = { Connect-SmimeStore -Path $store } |
                Should -Throw -ErrorId 'StoreSchemaTooNew,SmimeAdmin.Commands.ConnectSmimeStoreCommand' -PassThru
            $record.TargetObject | Should -BeExactly $marker
            $record.Exception.Message | Should -BeLike "*$marker*99*"
        }

        It 'reports a corrupt configuration file by name and never overwrites it' {
            Connect-SmimeStore -Path $store -Organization 'contoso.com'
            Set-SmimeConfig -OWAAlwaysSign $true
            $configFile = Join-Path $store 'organizations/contoso.com/config.json'
            Set-Content -Path $configFile -Value '{ "format": "SmimeAdmin.OrganizationConfig", "schemaVersion": 1, "settings": { "OWAAlwaysSi'
            $before = Get-StoreSnapshot $store

            $record = { Get-SmimeConfig } | Should -Throw -ErrorId 'StoreFileCorrupt,SmimeAdmin.Commands.GetSmimeConfigCommand' -PassThru
            $record.TargetObject | Should -BeExactly $configFile
            $record.CategoryInfo.Category | Should -Be 'InvalidData'
            { Set-SmimeConfig -OWAAlwaysEncrypt $true } | Should -Throw -ErrorId 'StoreFileCorrupt,SmimeAdmin.Commands.SetSmimeConfigCommand'
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'reports a configuration file of a newer schema version and never overwrites it' {
            Connect-SmimeStore -Path $store -Organization 'contoso.com'
            Set-SmimeConfig -OWAAlwaysSign $true
            $configFile = Join-Path $store 'organizations/contoso.com/config.json'
            (Get-Content -Raw $configFile) -replace '"schemaVersion": 1', '"schemaVersion": 2' | Set-Content -Path $configFile
            $before = Get-StoreSnapshot $store

            { Get-SmimeConfig } | Should -Throw -ErrorId 'StoreSchemaTooNew,SmimeAdmin.Commands.GetSmimeConfigCommand'
            { Set-SmimeConfig -OWAAlwaysEncrypt $true } | Should -Throw -ErrorId 'StoreSchemaTooNew,SmimeAdmin.Commands.SetSmimeConfigCommand'
            Get-StoreSnapshot $store | Should -Be $before
        }

        It 'gives up waiting for a lock another writer holds, with a clear error and no change' {
            Connect-SmimeStore -Path $store -Organization 'contoso.com' -LockTimeout '00:00:00.300'
            Set-SmimeConfig -OWAAlwaysSign $true
            $before = Get-StoreSnapshot $store
            $lockFile = Join-Path $store 'organizations/contoso.com/.lock'
            $holder = Start-PwshScript -StorePath $store -Script "`$lock = [IO.File]::Open('$lockFile', 'OpenOrCreate', 'ReadWrite', 'None'); Start-Sleep -Seconds 120"
            # Wait (bounded) until the child really holds the lock.
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            do {
                Start-Sleep -Milliseconds 50
                $held = try { [IO.File]::Open($lockFile, 'OpenOrCreate', 'ReadWrite', 'None').Dispose(); $false } catch { $true }
            } until ($held -or $holder.HasExited -or [datetime]::UtcNow -gt $deadline)
            $held | Should -BeTrue -Because 'the child process should hold the lock'

            $record = { Set-SmimeConfig -OWAAlwaysEncrypt $true } |
                Should -Throw -ErrorId 'StoreLockTimeout,SmimeAdmin.Commands.SetSmimeConfigCommand' -PassThru
            $record.CategoryInfo.Category | Should -Be 'ResourceBusy'
            $record.Exception.Message | Should -BeLike '*0.3 seconds*'
            Get-StoreSnapshot $store | Should -Be $before
            $holder.Kill()
        }

        It 'reports a store folder that cannot be written' {
            New-Item -ItemType Directory -Path $store | Out-Null
            Set-Content -Path (Join-Path $store 'organizations') -Value 'a file where the organizations folder belongs'
            Connect-SmimeStore -Path $store
            $record = { Set-SmimeConfig -OWAAlwaysSign $true } |
                Should -Throw -ErrorId 'StoreUnavailable,SmimeAdmin.Commands.SetSmimeConfigCommand' -PassThru
            $record.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        }
    }
}
