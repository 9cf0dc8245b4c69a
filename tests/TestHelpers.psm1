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
    $connect = if ($StorePath -like 'ldap*://*') {
        # The child reads the test server's password from the environment it inherits, as this process did.
        $uri, $baseDn = Split-TestLdapStore $StorePath
        "Import-Module '$PSScriptRoot/TestHelpers.psm1'; Connect-SmimeStore -LdapUri '$uri' -BaseDN '$baseDn' -Credential (Get-TestLdapCredential)"
    }
    else { "Connect-SmimeStore -Path '$StorePath'" }
    $prologue = "`$ErrorActionPreference = 'Stop'; Import-Module '$(Get-TestModulePath)'; $connect -Organization '$Organization'; "
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
    # Every file of a store folder with its content hash, or every entry of a directory store with its attributes,
    # to prove that nothing changed.
    param([Parameter(Mandatory)] [string] $StorePath)
    if ($StorePath -like 'ldap*://*') {
        $server = Get-TestLdapServer
        $null, $baseDn = Split-TestLdapStore $StorePath
        $output = & ldapsearch -x -LLL -o ldif-wrap=no -H $server.Uri -D $server.AdminDn -w $server.Password -b $baseDn '(objectClass=*)' '*' 'entryCSN' 2>&1
        if ($LASTEXITCODE -ne 0) { throw "ldapsearch failed: $output" }
        return @($output | Where-Object { $_ } | Sort-Object)
    }
    if (-not (Test-Path $StorePath)) { return @() }
    Get-ChildItem -Path $StorePath -Recurse -File -Force |
        Where-Object Name -ne '.lock' |
        Sort-Object FullName |
        ForEach-Object { '{0} {1}' -f $_.FullName.Substring($StorePath.Length), (Get-FileHash -Algorithm SHA256 -LiteralPath $_.FullName).Hash }
}

function Get-TestLdapServer {
    # The slapd build.ps1 started for this run (tests/TestSlapd.psm1), from the environment it set.
    foreach ($name in 'URI', 'BASEDN', 'BINDDN', 'PASSWORD') {
        if (-not [Environment]::GetEnvironmentVariable("SMIMEADMIN_TEST_LDAP_$name")) {
            throw "SMIMEADMIN_TEST_LDAP_$name is not set: the directory store's tests need the slapd that build.ps1 -Task Test starts."
        }
    }
    [pscustomobject]@{
        Uri = $env:SMIMEADMIN_TEST_LDAP_URI; BaseDn = $env:SMIMEADMIN_TEST_LDAP_BASEDN
        AdminDn = $env:SMIMEADMIN_TEST_LDAP_BINDDN; Password = $env:SMIMEADMIN_TEST_LDAP_PASSWORD
    }
}

function Get-TestLdapCredential {
    $server = Get-TestLdapServer
    [pscredential]::new($server.AdminDn, (ConvertTo-SecureString $server.Password -AsPlainText -Force))
}

function New-TestLdapBase {
    # A fresh organizational unit under ou=people for one test's users and organizations; returns its DN.
    $server = Get-TestLdapServer
    $unit = 't' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    $dn = "ou=$unit,ou=people,$($server.BaseDn)"
    Import-Module (Join-Path $PSScriptRoot 'TestSlapd.psm1')
    Invoke-TestLdif -Server $server -Ldif "dn: $dn`nobjectClass: organizationalUnit`nou: $unit`n"
    $dn
}

function Split-TestLdapStore {
    # ldap://host:port/<base DN> -> the URI and the base DN.
    param([Parameter(Mandatory)] [string] $Store)
    $index = $Store.IndexOf('/', $Store.IndexOf('://') + 3)
    $Store.Substring(0, $index), $Store.Substring($index + 1)
}

function Get-TestStoreKind {
    # Which store the store-agnostic tests run against: Folder (default) or Ldap ($env:SMIMEADMIN_TEST_STORE).
    if ($env:SMIMEADMIN_TEST_STORE -eq 'Ldap') { 'Ldap' } else { 'Folder' }
}

function Connect-TestStore {
    <#
    .SYNOPSIS
        Connects the session to a fresh store of the kind Get-TestStoreKind names, with -Collection as its collection,
        and returns its location: a folder under TestDrive, or ldap://host:port/<base DN> of a fresh organizational
        unit.
    #>
    param(
        [string] $Organization = 'contoso.com',
        # Sets the collection and turns CRL checking off: the test certificates name no CRL distribution point unless
        # a test gives them one.
        [System.Security.Cryptography.X509Certificates.X509Certificate2[]] $Collection
    )
    if ((Get-TestStoreKind) -eq 'Ldap') {
        $server = Get-TestLdapServer
        $baseDn = New-TestLdapBase
        Connect-SmimeStore -LdapUri $server.Uri -BaseDN $baseDn -Credential (Get-TestLdapCredential) -Organization $Organization
        $store = "$($server.Uri)/$baseDn"
    } else {
        $store = Join-Path (Get-PSDrive TestDrive).Root ([guid]::NewGuid())
        Connect-SmimeStore -Path $store -Organization $Organization
    }
    if ($Collection) {
        Set-SmimeCertificateCollection -Certificate $Collection
        Set-SmimeConfig -OWADisableCRLCheck $true
    }
    $store
}

function Start-TestCrlServer {
    <#
    .SYNOPSIS
        Serves CRLs over HTTP from a background runspace until Stop-TestCrlServer: each key of -Crls is a URL path,
        its value the DER bytes; other paths get 404.
    #>
    param([Parameter(Mandatory)] [string] $Prefix, [Parameter(Mandatory)] [hashtable] $Crls)
    $listener = [System.Net.HttpListener]::new()
    $listener.Prefixes.Add("$Prefix/")
    $listener.Start()
    $shell = [powershell]::Create().AddScript({
            param($Listener, $Crls)
            while ($Listener.IsListening) {
                try { $context = $Listener.GetContext() } catch { break }
                $body = $Crls[$context.Request.Url.AbsolutePath]
                if ($body) { $context.Response.OutputStream.Write($body, 0, $body.Length) } else { $context.Response.StatusCode = 404 }
                $context.Response.Close()
            }
        }).AddArgument($listener).AddArgument($Crls)
    [pscustomobject]@{ Listener = $listener; Shell = $shell; Serving = $shell.BeginInvoke() }
}

function Stop-TestCrlServer {
    param([Parameter(Mandatory)] $Server)
    $Server.Listener.Stop()
    $Server.Shell.EndInvoke($Server.Serving) | Out-Null
    $Server.Shell.Dispose()
    $Server.Listener.Close()
}

function Add-TestRecipient {
    <#
    .SYNOPSIS
        Makes recipients exist in a store from Connect-TestStore. A directory store never creates users, so they are
        added to the directory as inetOrgPerson entries (mail, and -ProxyAddress as smtp: values); the folder store
        creates a recipient when a certificate is first published to it, so nothing is written there.
    #>
    param([Parameter(Mandatory)] [string] $Store, [Parameter(Mandatory)] [string[]] $Address, [string[]] $ProxyAddress = @())
    if ($Store -notlike 'ldap*://*') { return }
    $server = Get-TestLdapServer
    $null, $baseDn = Split-TestLdapStore $Store
    Import-Module (Join-Path $PSScriptRoot 'TestSlapd.psm1')
    $entries = foreach ($mail in $Address) {
        $uid = $mail.Split('@')[0]
        $lines = @("dn: uid=$uid,$baseDn", 'objectClass: inetOrgPerson', 'objectClass: smimeAdminTestDirectoryUser', "uid: $uid", "cn: $uid", "sn: $uid", "mail: $mail")
        ($lines + @($ProxyAddress | ForEach-Object { "proxyAddresses: smtp:$_" })) -join "`n"
    }
    Invoke-TestLdif -Server $server -Ldif (($entries -join "`n`n") + "`n")
}

function Get-TestConfigDocument {
    # An organization's stored configuration document (format SmimeAdmin.Config) as an object, read around the module:
    # config.json of a store folder, or the description of the organization's entry in a directory store.
    param([Parameter(Mandatory)] [string] $Store, [Parameter(Mandatory)] [string] $Organization)
    if ($Store -notlike 'ldap*://*') {
        return Get-Content -LiteralPath (Join-Path $Store "organizations/$Organization/config.json") -Raw | ConvertFrom-Json
    }
    $server = Get-TestLdapServer
    $null, $baseDn = Split-TestLdapStore $Store
    $output = & ldapsearch -x -LLL -o ldif-wrap=no -H $server.Uri -D $server.AdminDn -w $server.Password -b "cn=$Organization,ou=SmimeAdmin,$baseDn" -s base 'description' 2>&1
    if ($LASTEXITCODE -ne 0) { throw "ldapsearch failed: $output" }
    # LDIF gives a value with line breaks in base64, after '::'.
    $line = @($output | Where-Object { $_ -like 'description:*' })
    if ($line.Count -ne 1) { throw "The entry of $Organization has $($line.Count) documents; expected 1." }
    $json = if ($line[0] -like 'description:: *') { [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($line[0].Substring(14))) } else { $line[0].Substring(13) }
    $json | ConvertFrom-Json
}

function Test-TestStoreWritten {
    # Whether anything was ever written to a store Connect-TestStore returned (a folder, or ou=SmimeAdmin).
    param([Parameter(Mandatory)] [string] $Store)
    if ($Store -notlike 'ldap*://*') { return Test-Path $Store }
    $server = Get-TestLdapServer
    $null, $baseDn = Split-TestLdapStore $Store
    $output = & ldapsearch -x -LLL -H $server.Uri -D $server.AdminDn -w $server.Password -b "ou=SmimeAdmin,$baseDn" -s base dn 2>&1
    $LASTEXITCODE -eq 0
}

function Get-TestPublishedCount {
    # How many users under a base DN of a test server have a userCertificate, read with ldapsearch.
    param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [string] $BaseDn)
    $output = & ldapsearch -x -LLL -H $Server.Uri -D $Server.AdminDn -w $Server.Password -b $BaseDn '(userCertificate;binary=*)' dn 2>$null
    @($output | Where-Object { $_ -like 'dn:*' }).Count
}

function Stop-TestSlapdDuringWrites {
    # Kills a test server once a child PowerShell (Start-PwshScript) has published 30 certificates under a base DN,
    # and returns the child's outcome (Wait-PwshScript); fails when the child finished before the server could stop.
    param(
        [Parameter(Mandatory)] $Server,
        [Parameter(Mandatory)] [string] $BaseDn,
        [Parameter(Mandatory)] [System.Diagnostics.Process] $Child
    )
    Import-Module (Join-Path $PSScriptRoot 'TestSlapd.psm1')
    $deadline = [datetime]::UtcNow.AddSeconds(90)
    while ((Get-TestPublishedCount -Server $Server -BaseDn $BaseDn) -lt 30 -and -not $Child.HasExited -and [datetime]::UtcNow -lt $deadline) {
        Start-Sleep -Milliseconds 20
    }
    if ($Child.HasExited) {
        throw "The server must stop while the child is writing, but the child had finished: $($Child.StandardErrorText.Result + $Child.StandardOutputText.Result)"
    }
    Stop-TestSlapd $Server -Kill
    Wait-PwshScript $Child
}

Export-ModuleMember -Function Get-TestModulePath, Get-TestPublishedCount, Stop-TestSlapdDuringWrites, Get-PwshCommand, Start-PwshScript, Wait-PwshScript, Get-StoreSnapshot,
    Get-TestLdapServer, Get-TestLdapCredential, New-TestLdapBase, Split-TestLdapStore, Get-TestStoreKind, Connect-TestStore,
    Get-TestConfigDocument, Test-TestStoreWritten, Add-TestRecipient, Start-TestCrlServer, Stop-TestCrlServer
