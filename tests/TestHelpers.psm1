# Helpers shared by the Pester tests. Imported inside BeforeAll blocks, never at discovery time.

function Get-TestModulePath {
    # The staged module under test (build.ps1 passes it); falls back to out/ for a run started by hand.
    if ($env:SMIMEADMIN_TEST_MODULE) { return $env:SMIMEADMIN_TEST_MODULE }
    Join-Path $PSScriptRoot '../out/SmimeAdmin/SmimeAdmin.psd1'
}

Import-Module (Join-Path $PSScriptRoot '../tools/Pwsh.psm1') -Force

function Start-PwshScript {
    <#
    .SYNOPSIS
        Starts a child PowerShell that imports the module under test and runs a script; returns the Process.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [Parameter(Mandatory)] [string] $StorePath,
        # The child's default organization: the caller's, unless given.
        [string] $Organization = (Get-SmimeStore).Organization,
        # Lines typed at the child's prompts; the child then runs interactively with standard input redirected.
        [string[]] $Answers
    )
    $prologue = "`$ErrorActionPreference = 'Stop'; Import-Module '$(Get-TestModulePath)'; Connect-SmimeStore -Path '$StorePath' -Organization '$Organization'; "
    $pwsh = Get-PwshCommand
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
    $mode = if ($Answers) { @() } else { @('-NonInteractive') }
    foreach ($argument in @($pwsh | Select-Object -Skip 1) + @('-NoProfile') + $mode + @('-Command', $prologue + $Script)) {
        $startInfo.ArgumentList.Add($argument)
    }
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $startInfo.RedirectStandardInput = [bool] $Answers
    $process = [System.Diagnostics.Process]::Start($startInfo)
    # Read both streams from the start so a chatty child never blocks on a full pipe.
    $process | Add-Member -NotePropertyName StandardOutputText -NotePropertyValue $process.StandardOutput.ReadToEndAsync()
    $process | Add-Member -NotePropertyName StandardErrorText -NotePropertyValue $process.StandardError.ReadToEndAsync()
    if ($Answers) {
        foreach ($answer in $Answers) { $process.StandardInput.WriteLine($answer) }
        $process.StandardInput.Close()
    }
    $process
}

function Wait-PwshScript {
    <#
    .SYNOPSIS
        Waits for a process from Start-PwshScript (at most two minutes) and returns its exit code and output.
    #>
    param([Parameter(Mandatory)] [System.Diagnostics.Process] $Process)
    if (-not $Process.WaitForExit(120000)) {
        $Process.Kill()
        throw "The child PowerShell did not finish within two minutes."
    }
    [pscustomobject]@{
        ExitCode = $Process.ExitCode
        Output   = $Process.StandardOutputText.GetAwaiter().GetResult()
        Errors   = $Process.StandardErrorText.GetAwaiter().GetResult()
    }
}

function Get-StoreSnapshot {
    # Every file of a store folder with its content hash, to prove that nothing changed.
    param([Parameter(Mandatory)] [string] $StorePath)
    if (-not (Test-Path $StorePath)) { return @() }
    Get-ChildItem -Path $StorePath -Recurse -File -Force |
        Where-Object Name -ne '.lock' |
        Sort-Object FullName |
        ForEach-Object { '{0} {1}' -f $_.FullName.Substring($StorePath.Length), (Get-FileHash -Algorithm SHA256 -LiteralPath $_.FullName).Hash }
}

function Connect-TestStore {
    <#
    .SYNOPSIS
        Connects the session to a new store folder in the test drive, sets the collection and turns CRL checking off
        (the test certificates name no CRL distribution point unless a test gives them one); returns the folder.
    #>
    param(
        [Parameter(Mandatory)] [System.Security.Cryptography.X509Certificates.X509Certificate2[]] $Collection,
        [string] $Organization = 'contoso.com'
    )
    $store = Join-Path (Get-PSDrive -Name TestDrive).Root ([guid]::NewGuid())
    Connect-SmimeStore -Path $store -Organization $Organization
    Set-SmimeCertificateCollection -Certificate $Collection
    Set-SmimeConfig -OWADisableCRLCheck $true
    $store
}

Export-ModuleMember -Function Get-TestModulePath, Get-PwshCommand, Start-PwshScript, Wait-PwshScript, Get-StoreSnapshot, Connect-TestStore
